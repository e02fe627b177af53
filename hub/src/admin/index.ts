// What the `khoj hub …` and `khoj ca …` commands call: the same domain functions as the admin
// API, each taking the hub's services (build them with createHubServices over the hub's home
// and database) and an `actor` (`cli:<user>`), each audited in the transaction of its change.
export type { IssuingCa } from '../trust/ca-store.ts';
export { issueAdminCert, rotateIssuingCa } from './certificate-authority.ts';
export {
  approveEnrolment,
  denyEnrolment,
  type EnrolmentFilter,
  listEnrolments,
} from './enrolment-decisions.ts';
export {
  createInvitation,
  ENROLMENT_TOKEN_PREFIX,
  type InvitationInput,
  listInvitations,
} from './invitations.ts';
export { expiringCertificates, listNodes, renewNode, setNodePolicy } from './nodes.ts';
export { type RevocationOutcome, revokeCertificate, revokeNode } from './revocation.ts';
