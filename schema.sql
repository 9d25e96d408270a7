-- The cme register: the schema of a newly created register file.
--
-- This file is the one source of truth for the schema. The store executes it
-- to create a register, and a test checks that a register upgraded from any
-- earlier version by the migrations ends up with exactly this schema.
-- `PRAGMA user_version` at the end is the schema version.
--
-- Additive changes are appended as sections that start with a line
-- `-- @migration N`: a register at an older version gets exactly the
-- statements of the sections above its version, in order. A change that is
-- not additive needs its own migration in Schema.swift as well.
--
-- Conventions: tables singular and camelCase; every table STRICT; dates are
-- ISO 8601 text (YYYY-MM-DD), times UTC ISO 8601 with milliseconds; flags
-- are 0/1 integers; closed lists are CHECKed here as well as in the domain
-- code. Every row that can change names, in `auditSeq`, the audit entry that
-- last changed it: `cme audit verify` uses this to notice a log whose tail
-- was cut off.

-- Facts about the register file itself (kind: 'register' or 'demo').
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- The append-only, hash-chained audit log. See docs/audit-log.md.
CREATE TABLE auditEntry (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entityId TEXT NOT NULL,
  childId INTEGER,
  caseId INTEGER,
  reason TEXT,
  before TEXT,
  after TEXT,
  payloadDigest TEXT NOT NULL CHECK (length(payloadDigest) = 64),
  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
  redacted INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1)),
  CHECK (redacted = 0 OR (before IS NULL AND after IS NULL))
) STRICT;

CREATE INDEX auditEntry_child ON auditEntry(childId) WHERE childId IS NOT NULL;
CREATE INDEX auditEntry_case ON auditEntry(caseId) WHERE caseId IS NOT NULL;

CREATE TRIGGER auditEntry_noUpdate BEFORE UPDATE ON auditEntry
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be changed');
END;

CREATE TRIGGER auditEntry_noDelete BEFORE DELETE ON auditEntry
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be deleted');
END;

-- People who use the register, each with one role.
CREATE TABLE user (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  role TEXT NOT NULL CHECK (role IN ('caseworker', 'manager', 'board', 'admin')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  createdAt TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- Local settings, such as the RAG thresholds.
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- A child. UPN is optional and never the key.
CREATE TABLE child (
  id INTEGER PRIMARY KEY,
  legalSurname TEXT NOT NULL CHECK (legalSurname <> ''),
  legalForename TEXT NOT NULL CHECK (legalForename <> ''),
  middleNames TEXT,
  preferredSurname TEXT,
  preferredForename TEXT,
  dateOfBirth TEXT NOT NULL CHECK (dateOfBirth GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
  genderIdentity TEXT,
  upn TEXT UNIQUE CHECK (upn IS NULL OR length(upn) = 13),
  ethnicity TEXT CHECK (ethnicity IS NULL OR length(ethnicity) = 4),
  firstLanguage TEXT CHECK (firstLanguage IS NULL OR length(firstLanguage) = 3),
  religion TEXT,
  senProvision TEXT CHECK (senProvision IN ('E', 'K', 'N')),
  disability TEXT,
  lookedAfter INTEGER NOT NULL DEFAULT 0 CHECK (lookedAfter IN (0, 1)),
  careAuthority TEXT CHECK (careAuthority IS NULL OR lookedAfter = 1),
  childProtectionPlan INTEGER NOT NULL DEFAULT 0 CHECK (childProtectionPlan IN (0, 1)),
  childInNeed INTEGER NOT NULL DEFAULT 0 CHECK (childInNeed IN (0, 1)),
  youthJustice INTEGER NOT NULL DEFAULT 0 CHECK (youthJustice IN (0, 1)),
  freeSchoolMeals INTEGER CHECK (freeSchoolMeals IN (0, 1)),
  sexualOrientation TEXT,
  circumstances TEXT,
  lastSchool TEXT CHECK (lastSchool IS NULL OR lastSchool GLOB 'urn:[0-9][0-9][0-9][0-9][0-9][0-9]'
    OR lastSchool GLOB 'laestab:[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  createdAt TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX child_name ON child(legalSurname COLLATE NOCASE, legalForename COLLATE NOCASE);
CREATE INDEX child_dateOfBirth ON child(dateOfBirth);

-- Former names and aliases.
CREATE TABLE childFormerName (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  name TEXT NOT NULL CHECK (name <> ''),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX childFormerName_child ON childFormerName(childId);

CREATE TABLE childFormerUpn (
  childId INTEGER NOT NULL REFERENCES child(id),
  upn TEXT NOT NULL CHECK (length(upn) = 13),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (childId, upn)
) STRICT;

CREATE INDEX childFormerUpn_upn ON childFormerUpn(upn);

CREATE TABLE childConcern (
  childId INTEGER NOT NULL REFERENCES child(id),
  concern TEXT NOT NULL CHECK (concern IN ('sexual-exploitation', 'criminal-exploitation',
    'trafficking', 'fgm', 'forced-marriage', 'radicalisation', 'missing-from-home', 'domestic-abuse')),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (childId, concern)
) STRICT;

CREATE TABLE childAddress (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  text TEXT NOT NULL CHECK (text <> ''),
  postcode TEXT,
  fromDate TEXT,
  toDate TEXT CHECK (toDate IS NULL OR fromDate IS NULL OR toDate >= fromDate),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX childAddress_child ON childAddress(childId);

-- Parents and carers.
CREATE TABLE carer (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  name TEXT NOT NULL CHECK (name <> ''),
  relationship TEXT NOT NULL CHECK (relationship <> ''),
  phone TEXT,
  livesWithChild INTEGER NOT NULL CHECK (livesWithChild IN (0, 1)),
  parentalResponsibility INTEGER NOT NULL CHECK (parentalResponsibility IN (0, 1)),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX carer_child ON carer(childId);

-- A CME case: one episode of a child missing education.
-- `rag` is the latest rating in ragRating, kept here for listing.
CREATE TABLE cmeCase (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE CHECK (reference GLOB 'CME-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*'),
  childId INTEGER NOT NULL REFERENCES child(id),
  openedOn TEXT NOT NULL,
  referralSource TEXT NOT NULL CHECK (referralSource IN ('school-deletion-return',
    'school-referral', 'admissions', 'other-la', 'health', 'police', 'social-care', 'housing',
    'public', 'ehe-team', 'other')),
  reason TEXT NOT NULL CHECK (reason IN ('school-application-awaiting-outcome',
    'believed-moved-out-of-country', 'place-offered-not-started', 'ehe-unsuitable',
    'whereabouts-unknown', 'new-arrival-not-applied', 'perm-excluded-no-provision',
    'parent-refuses-to-apply', 'ehcp-no-placement-named', 'failed-to-start-reception-or-transfer',
    'other', 'not-known')),
  groundRegime TEXT CHECK (groundRegime IN ('2006', '2024')),
  ground TEXT,
  lastAttended TEXT CHECK (lastAttended IS NULL OR lastAttended <= openedOn),
  whereaboutsKnown INTEGER NOT NULL CHECK (whereaboutsKnown IN (0, 1)),
  leadCaseworkerId INTEGER REFERENCES user(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closedOn TEXT CHECK (closedOn IS NULL OR closedOn >= openedOn),
  outcome TEXT CHECK (outcome IN ('on-roll-la-school', 'on-roll-other-la-school',
    'on-roll-independent', 'transferred-to-other-la-cme', 'ehe-suitable', 'moved-abroad-confirmed',
    'moved-abroad-unconfirmed', 'ap-or-eotas-placed', 'lost-pupil-untraceable', 'ceased-csa',
    'deceased', 'custody', 'duplicate-or-error')),
  outcomeEvidence TEXT,
  rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((ground IS NULL) = (groundRegime IS NULL)),
  CHECK (groundRegime IS NOT '2024' OR ground GLOB '[A-O]'),
  CHECK (groundRegime IS NOT '2006' OR ground GLOB '[a-m]'),
  CHECK ((status = 'closed') = (closedOn IS NOT NULL AND outcome IS NOT NULL AND outcomeEvidence IS NOT NULL))
) STRICT;

CREATE INDEX cmeCase_child ON cmeCase(childId);
CREATE INDEX cmeCase_status ON cmeCase(status, rag, openedOn);
CREATE UNIQUE INDEX cmeCase_oneOpenPerChild ON cmeCase(childId) WHERE status = 'open';

-- Every change of a case's status, with the day it took effect.
CREATE TABLE caseStatusChange (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  kind TEXT NOT NULL CHECK (kind IN ('opened', 'closed', 'reopened')),
  effectiveOn TEXT NOT NULL,
  outcome TEXT,
  note TEXT,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((kind = 'closed') = (outcome IS NOT NULL))
) STRICT;

CREATE INDEX caseStatusChange_case ON caseStatusChange(caseId);

-- Every RAG rating a case has had; the latest is the current one.
CREATE TABLE ragRating (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  rating TEXT NOT NULL CHECK (rating IN ('red', 'amber', 'green')),
  suggested TEXT NOT NULL CHECK (suggested IN ('red', 'amber', 'green')),
  suggestedReasons TEXT NOT NULL,
  rationale TEXT NOT NULL CHECK (rationale <> ''),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX ragRating_case ON ragRating(caseId, id);

-- A register-check cycle. At most one is open at a time.
CREATE TABLE registerCycle (
  id INTEGER PRIMARY KEY,
  startedById INTEGER NOT NULL REFERENCES user(id),
  startedOn TEXT NOT NULL,
  startedAt TEXT NOT NULL,
  closedById INTEGER REFERENCES user(id),
  closedOn TEXT,
  closedAt TEXT,
  closingNote TEXT,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((closedById IS NULL) = (closedOn IS NULL) AND (closedOn IS NULL) = (closedAt IS NULL))
) STRICT;

CREATE UNIQUE INDEX registerCycle_oneOpen ON registerCycle(ifnull(closedOn, 'open')) WHERE closedOn IS NULL;

-- One manager's check of one case in a cycle.
CREATE TABLE registerCheck (
  id INTEGER PRIMARY KEY,
  cycleId INTEGER NOT NULL REFERENCES registerCycle(id),
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  checkedById INTEGER NOT NULL REFERENCES user(id),
  checkedAt TEXT NOT NULL,
  ragBefore TEXT CHECK (ragBefore IN ('red', 'amber', 'green')),
  ragAfter TEXT NOT NULL CHECK (ragAfter IN ('red', 'amber', 'green')),
  satisfactoryExplanation INTEGER NOT NULL CHECK (satisfactoryExplanation IN (0, 1)),
  outcome TEXT NOT NULL CHECK (outcome IN ('explained', 'action-required', 'escalated')),
  note TEXT NOT NULL CHECK (note <> ''),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (outcome <> 'explained' OR satisfactoryExplanation = 1)
) STRICT;

CREATE INDEX registerCheck_cycle ON registerCheck(cycleId, caseId);
CREATE INDEX registerCheck_case ON registerCheck(caseId);

-- Open cases a cycle closed without checking, each with the reason.
CREATE TABLE registerCycleExemption (
  cycleId INTEGER NOT NULL REFERENCES registerCycle(id),
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (cycleId, caseId)
) STRICT;

-- @migration 2
-- Casework: visits and contacts, the reasonable-enquiries checklist,
-- multi-agency actions, the school-day calendar, clock start dates and
-- closure evidence.

-- A visit, call or other contact made for a case.
CREATE TABLE visit (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  type TEXT NOT NULL CHECK (type IN ('home-visit', 'phone-call', 'letter', 'email', 'text-message',
    'school-contact', 'agency-check', 'multi-agency-meeting', 'other')),
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  time TEXT CHECK (time IS NULL OR time GLOB '[0-2][0-9]:[0-5][0-9]'),
  childSeen INTEGER CHECK (childSeen IN (0, 1)),
  outcome TEXT NOT NULL CHECK (outcome <> ''),
  nextStep TEXT,
  agency TEXT CHECK (agency IN ('school', 'admissions', 'attendance', 'social-care', 'early-help', 'police',
    'health', 'housing', 'other-la', 'grt-liaison', 'youth-justice', 'send', 'virtual-school', 'other')),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX visit_case ON visit(caseId, date);

-- The reasonable-enquiries checklist: a row for each item done or not
-- applicable; an item without a row is outstanding.
CREATE TABLE enquiry (
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  item TEXT NOT NULL CHECK (item IN ('last-school', 'emergency-contacts', 'home-visit', 'neighbours-housing',
    'health', 'police', 'social-care', 'other-las', 's2s-lost-pupil', 'ctf-xxx', 'home-office', 'mod')),
  state TEXT NOT NULL CHECK (state IN ('done', 'not-applicable')),
  doneOn TEXT,
  result TEXT,
  visitId INTEGER REFERENCES visit(id),
  reason TEXT,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (caseId, item),
  CHECK ((state = 'done') = (doneOn IS NOT NULL AND result IS NOT NULL)),
  CHECK ((state = 'not-applicable') = (reason IS NOT NULL))
) STRICT;

-- A follow-up action asked of a partner agency.
CREATE TABLE caseAction (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  agency TEXT NOT NULL CHECK (agency IN ('school', 'admissions', 'attendance', 'social-care', 'early-help',
    'police', 'health', 'housing', 'other-la', 'grt-liaison', 'youth-justice', 'send', 'virtual-school', 'other')),
  description TEXT NOT NULL CHECK (description <> ''),
  dueOn TEXT NOT NULL,
  owner TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'done', 'cancelled')),
  note TEXT,
  raisedById INTEGER NOT NULL REFERENCES user(id),
  raisedOn TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (state IN ('open', 'accepted') OR note IS NOT NULL)
) STRICT;

CREATE INDEX caseAction_case ON caseAction(caseId);
CREATE INDEX caseAction_live ON caseAction(state, dueOn);

-- Every change of an action's state, for the case timeline.
CREATE TABLE caseActionEvent (
  id INTEGER PRIMARY KEY,
  actionId INTEGER NOT NULL REFERENCES caseAction(id),
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'done', 'cancelled')),
  note TEXT,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX caseActionEvent_action ON caseActionEvent(actionId);

-- Dates that start a case's clocks besides its opening.
CREATE TABLE caseMilestone (
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  kind TEXT NOT NULL CHECK (kind IN ('ill-since', 'fair-access-referred')),
  onDate TEXT NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (caseId, kind)
) STRICT;

-- The evidence given when a case closed, beside its closing status change.
CREATE TABLE closureEvidence (
  statusChangeId INTEGER PRIMARY KEY REFERENCES caseStatusChange(id),
  school TEXT,
  startDate TEXT,
  newAddress TEXT,
  confirmation TEXT,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- The authority's school calendar. Empty means the shipped default for England.
CREATE TABLE calendarPeriod (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('term', 'closure')),
  startDate TEXT NOT NULL,
  endDate TEXT NOT NULL CHECK (endDate >= startDate),
  description TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- @migration 3
-- The scrutiny board: meetings, their agendas and decisions, the packs
-- built for them, and the school-age population the register is set against.

-- A meeting of the scrutiny board.
CREATE TABLE boardMeeting (
  id INTEGER PRIMARY KEY,
  meetingDate TEXT NOT NULL CHECK (meetingDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  chair TEXT NOT NULL CHECK (chair <> ''),
  attendees TEXT NOT NULL,
  createdById INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

-- A case on a meeting's agenda, with why it is there.
CREATE TABLE boardAgendaItem (
  meetingId INTEGER NOT NULL REFERENCES boardMeeting(id),
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  reasons TEXT NOT NULL CHECK (reasons <> ''),
  addedBy TEXT NOT NULL CHECK (addedBy IN ('rules', 'decision')),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (meetingId, caseId)
) STRICT;

-- A decision the board took on a case, and the pack it was made on.
CREATE TABLE boardDecision (
  id INTEGER PRIMARY KEY,
  meetingId INTEGER NOT NULL REFERENCES boardMeeting(id),
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  decision TEXT NOT NULL CHECK (decision IN ('continue', 'escalate-social-care', 'escalate-police', 'close',
    'change-rag', 'add-action')),
  note TEXT NOT NULL CHECK (note <> ''),
  packDigest TEXT,
  actionId INTEGER REFERENCES caseAction(id),
  rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX boardDecision_meeting ON boardDecision(meetingId);
CREATE INDEX boardDecision_case ON boardDecision(caseId);

-- Each pack built for a meeting: its digest and the log position it states.
CREATE TABLE boardPack (
  id INTEGER PRIMARY KEY,
  meetingId INTEGER NOT NULL REFERENCES boardMeeting(id),
  digest TEXT NOT NULL CHECK (length(digest) = 64),
  format TEXT NOT NULL CHECK (format IN ('html', 'md', 'csv')),
  identifiable INTEGER NOT NULL CHECK (identifiable IN (0, 1)),
  logSequence INTEGER NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX boardPack_meeting ON boardPack(meetingId);

-- The authority's school-age population by characteristic, from its school census.
CREATE TABLE populationBaseline (
  characteristic TEXT NOT NULL CHECK (characteristic IN ('total', 'ethnicity', 'named-group', 'sex', 'sen',
    'looked-after', 'child-in-need', 'child-protection', 'fsm', 'eal')),
  code TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (characteristic, code)
) STRICT;

-- @migration 4
-- Intake: the files imported and what became of each row, so that the same
-- file or the same rows imported again create nothing new; the closures
-- that new-registration returns propose; and duplicate children merged.

CREATE TABLE importFile (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('deletion-returns', 'new-pupils', 'ctf')),
  name TEXT NOT NULL,
  digest TEXT NOT NULL CHECK (length(digest) = 64),
  rows INTEGER NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX importFile_digest ON importFile(digest);

CREATE TABLE importRow (
  rowDigest TEXT PRIMARY KEY CHECK (length(rowDigest) = 64),
  fileId INTEGER NOT NULL REFERENCES importFile(id),
  line INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('case-opened', 'open-case-exists', 'logged', 'ehe-team', 'closure-proposed',
    'no-open-case', 'not-on-register')),
  childId INTEGER REFERENCES child(id),
  caseId INTEGER REFERENCES cmeCase(id),
  flags TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX importRow_file ON importRow(fileId);

-- A closure proposed by a school's new-registration return, for the
-- caseworker to confirm with `cme case close`.
CREATE TABLE closureProposal (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('on-roll-la-school', 'on-roll-other-la-school', 'on-roll-independent')),
  school TEXT NOT NULL,
  startDate TEXT NOT NULL,
  source TEXT NOT NULL,
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX closureProposal_case ON closureProposal(caseId);

-- A child record merged into another (a duplicate). The merged record stays,
-- emptied of its cases and lists, for history; the audit entry holds both
-- records as they were, so a merge can be undone by hand.
CREATE TABLE childMerge (
  mergedId INTEGER PRIMARY KEY REFERENCES child(id),
  keptId INTEGER NOT NULL REFERENCES child(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (mergedId <> keptId)
) STRICT;

-- @migration 5
-- An index on every `auditSeq`. The references to the audit log are checked
-- at commit (a row is written just before the entry that records it), and
-- while such a check is outstanding SQLite looks for the rows that name each
-- new entry: without these indexes that was a scan of every table per entry,
-- which made large imports and every write on a large register slow.

CREATE INDEX user_auditSeq ON user(auditSeq);
CREATE INDEX setting_auditSeq ON setting(auditSeq);
CREATE INDEX child_auditSeq ON child(auditSeq);
CREATE INDEX childFormerName_auditSeq ON childFormerName(auditSeq);
CREATE INDEX childFormerUpn_auditSeq ON childFormerUpn(auditSeq);
CREATE INDEX childConcern_auditSeq ON childConcern(auditSeq);
CREATE INDEX childAddress_auditSeq ON childAddress(auditSeq);
CREATE INDEX carer_auditSeq ON carer(auditSeq);
CREATE INDEX cmeCase_auditSeq ON cmeCase(auditSeq);
CREATE INDEX caseStatusChange_auditSeq ON caseStatusChange(auditSeq);
CREATE INDEX ragRating_auditSeq ON ragRating(auditSeq);
CREATE INDEX registerCycle_auditSeq ON registerCycle(auditSeq);
CREATE INDEX registerCheck_auditSeq ON registerCheck(auditSeq);
CREATE INDEX registerCycleExemption_auditSeq ON registerCycleExemption(auditSeq);
CREATE INDEX visit_auditSeq ON visit(auditSeq);
CREATE INDEX enquiry_auditSeq ON enquiry(auditSeq);
CREATE INDEX caseAction_auditSeq ON caseAction(auditSeq);
CREATE INDEX caseActionEvent_auditSeq ON caseActionEvent(auditSeq);
CREATE INDEX caseMilestone_auditSeq ON caseMilestone(auditSeq);
CREATE INDEX closureEvidence_auditSeq ON closureEvidence(auditSeq);
CREATE INDEX calendarPeriod_auditSeq ON calendarPeriod(auditSeq);
CREATE INDEX boardMeeting_auditSeq ON boardMeeting(auditSeq);
CREATE INDEX boardAgendaItem_auditSeq ON boardAgendaItem(auditSeq);
CREATE INDEX boardDecision_auditSeq ON boardDecision(auditSeq);
CREATE INDEX boardPack_auditSeq ON boardPack(auditSeq);
CREATE INDEX populationBaseline_auditSeq ON populationBaseline(auditSeq);
CREATE INDEX importFile_auditSeq ON importFile(auditSeq);
CREATE INDEX importRow_auditSeq ON importRow(auditSeq);
CREATE INDEX closureProposal_auditSeq ON closureProposal(auditSeq);
CREATE INDEX childMerge_auditSeq ON childMerge(auditSeq);

-- @migration 6
-- A case's dates, each its own: the day the referral reached the LA (the
-- source says who made it), the day the case opened, and the day the school
-- deleted the child from roll, kept with the ground and its regulations (the
-- regulations in force on that day). Cases already on the register had one
-- date for all three: their referral is taken as received on the day they
-- opened, and a recorded ground's deletion as made on that day.
-- `outsideSchoolAgeReason` says why a case is open for a child outside
-- compulsory school age.

ALTER TABLE cmeCase ADD COLUMN referralReceivedOn TEXT
  CHECK (referralReceivedOn IS NULL OR referralReceivedOn <= openedOn);
ALTER TABLE cmeCase ADD COLUMN deletionDate TEXT CHECK (deletionDate IS NULL OR ground IS NOT NULL);
ALTER TABLE cmeCase ADD COLUMN outsideSchoolAgeReason TEXT;
UPDATE cmeCase SET referralReceivedOn = openedOn;
UPDATE cmeCase SET deletionDate = openedOn WHERE ground IS NOT NULL;

-- Every case has its referral date, and a ground its deletion date.
CREATE TRIGGER cmeCase_datesOnInsert BEFORE INSERT ON cmeCase
WHEN NEW.referralReceivedOn IS NULL OR (NEW.ground IS NOT NULL AND NEW.deletionDate IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a case needs referralReceivedOn, and a deletion ground its deletionDate');
END;
CREATE TRIGGER cmeCase_datesOnUpdate BEFORE UPDATE OF referralReceivedOn, ground, deletionDate ON cmeCase
WHEN NEW.referralReceivedOn IS NULL OR (NEW.ground IS NOT NULL AND NEW.deletionDate IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a case needs referralReceivedOn, and a deletion ground its deletionDate');
END;

-- @migration 7
-- Team use. A user may sign in to the web pages with a password, stored only
-- as a bcrypt hash (never in the log); a password an admin set must be
-- changed at its first use; `totpSecret` is the key of the second factor a
-- user enrolled (time-based one-time codes, RFC 6238), and a session signed
-- in with a password alone is `factorPending` until its code is given.
-- `account` is the operating-system account that
-- the command line acts as this user for. Each audit entry names the channel
-- it came through (a web session, or the command line and its account);
-- entries written before this version have none. A web session is known to
-- the register by the SHA-256 of its cookie's secret, never the secret.

ALTER TABLE user ADD COLUMN passwordHash TEXT CHECK (passwordHash IS NULL OR passwordHash LIKE '$2%');
ALTER TABLE user ADD COLUMN passwordMustChange INTEGER NOT NULL DEFAULT 0 CHECK (passwordMustChange IN (0, 1));
ALTER TABLE user ADD COLUMN account TEXT CHECK (account IS NULL OR account <> '');
ALTER TABLE user ADD COLUMN totpSecret TEXT CHECK (totpSecret IS NULL OR length(totpSecret) >= 20);
CREATE UNIQUE INDEX user_account ON user(account) WHERE account IS NOT NULL;
ALTER TABLE auditEntry ADD COLUMN channel TEXT;

CREATE TABLE webSession (
  id TEXT PRIMARY KEY CHECK (length(id) = 16),
  tokenHash TEXT NOT NULL UNIQUE CHECK (length(tokenHash) = 64),
  userId INTEGER NOT NULL REFERENCES user(id),
  csrf TEXT NOT NULL CHECK (length(csrf) >= 32),
  address TEXT NOT NULL,
  createdAt TEXT NOT NULL,
  lastSeenAt TEXT NOT NULL,
  endedAt TEXT,
  endReason TEXT CHECK (endReason IS NULL OR endReason IN ('signed-out', 'expired', 'password-changed', 'user-changed')),
  factorPending INTEGER NOT NULL DEFAULT 0 CHECK (factorPending IN (0, 1))
) STRICT;
CREATE INDEX webSession_user ON webSession(userId) WHERE endedAt IS NULL;

-- The log may be changed in one way only: an entry's payload removed by an
-- approved redaction (its digest stays in the chain, and `verify` accepts a
-- removed payload only where an `audit.redact` entry covers it).
DROP TRIGGER auditEntry_noUpdate;
CREATE TRIGGER auditEntry_noUpdate BEFORE UPDATE ON auditEntry
WHEN NOT (
  OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.before IS NULL AND NEW.after IS NULL
  AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
  AND NEW.entity = OLD.entity AND NEW.entityId = OLD.entityId AND NEW.childId IS OLD.childId
  AND NEW.caseId IS OLD.caseId AND NEW.reason IS OLD.reason AND NEW.payloadDigest = OLD.payloadDigest
  AND NEW.hash = OLD.hash AND NEW.channel IS OLD.channel
)
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be changed');
END;

-- A register's identity: random, made once, named by every signed checkpoint
-- so that a checkpoint of one register cannot vouch for another.
INSERT OR IGNORE INTO meta (key, value) VALUES ('identity', lower(hex(randomblob(16))));

-- @migration 8
-- A trigram index of each child's names (legal, middle, preferred and
-- former), so that a search for part of a name is answered from an index
-- instead of by reading every child. It holds nothing the child's rows do
-- not, and triggers keep it in step with them.

CREATE VIRTUAL TABLE childNameIndex USING fts5(names, tokenize = 'trigram', detail = 'none');
INSERT INTO childNameIndex (rowid, names) SELECT id, (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = child.id) FROM child;

CREATE TRIGGER child_nameIndexInsert AFTER INSERT ON child
BEGIN
  INSERT INTO childNameIndex (rowid, names) VALUES (NEW.id, (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.id));
END;
CREATE TRIGGER child_nameIndexUpdate
AFTER UPDATE OF legalForename, middleNames, legalSurname, preferredForename, preferredSurname ON child
BEGIN
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.id) WHERE rowid = NEW.id;
END;
CREATE TRIGGER child_nameIndexDelete AFTER DELETE ON child
BEGIN
  DELETE FROM childNameIndex WHERE rowid = OLD.id;
END;
CREATE TRIGGER childFormerName_nameIndexInsert AFTER INSERT ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.childId) WHERE rowid = NEW.childId;
END;
CREATE TRIGGER childFormerName_nameIndexDelete AFTER DELETE ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = OLD.childId) WHERE rowid = OLD.childId;
END;
CREATE TRIGGER childFormerName_nameIndexUpdate AFTER UPDATE ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = OLD.childId) WHERE rowid = OLD.childId;
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.childId) WHERE rowid = NEW.childId;
END;

-- @migration 9
-- Row records: each entry records, for every row of a recorded table that
-- its change wrote or deleted, the row's key and (for a write) the digest of
-- the row as it was left; the entry's hash covers the digest of those
-- records (`rowsDigest`). `cme audit verify` recomputes each current row's
-- digest and compares it with the latest record of that row, so a row
-- edited, added or deleted outside cme is found. See docs/audit-log.md.
-- A key is the row's primary key: `k1`, and `k2` for a table keyed by a
-- pair ('' otherwise).

ALTER TABLE auditEntry ADD COLUMN rowsDigest TEXT CHECK (rowsDigest IS NULL OR length(rowsDigest) = 64);

CREATE TABLE auditRow (
  seq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  tbl TEXT NOT NULL,
  k1 ANY NOT NULL,
  k2 ANY NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('w', 'd')),
  digest BLOB CHECK ((op = 'w' AND length(digest) = 32) OR (op = 'd' AND digest IS NULL)),
  PRIMARY KEY (seq, tbl, k1, k2)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER auditRow_noUpdate BEFORE UPDATE ON auditRow
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be changed');
END;

CREATE TRIGGER auditRow_noDelete BEFORE DELETE ON auditRow
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its row records cannot be deleted');
END;

DROP TRIGGER auditEntry_noUpdate;
CREATE TRIGGER auditEntry_noUpdate BEFORE UPDATE ON auditEntry
WHEN NOT (
  OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.before IS NULL AND NEW.after IS NULL
  AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
  AND NEW.entity = OLD.entity AND NEW.entityId = OLD.entityId AND NEW.childId IS OLD.childId
  AND NEW.caseId IS OLD.caseId AND NEW.reason IS OLD.reason AND NEW.payloadDigest = OLD.payloadDigest
  AND NEW.hash = OLD.hash AND NEW.channel IS OLD.channel AND NEW.rowsDigest IS OLD.rowsDigest
)
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be changed');
END;

-- @migration 10
-- Retention. A legal hold keeps a child's record past its retention date
-- (an inquiry, a complaint, litigation); a disposal removes the personal
-- data of a child whose date has passed (or who was recorded in error),
-- keeping the cases' dates and outcomes so that past figures stay as they
-- were, and records what it removed. See docs/data-model.md, "Retention".

CREATE TABLE retentionHold (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  heldById INTEGER NOT NULL REFERENCES user(id),
  heldAt TEXT NOT NULL,
  releasedById INTEGER REFERENCES user(id),
  releasedAt TEXT,
  releaseReason TEXT,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK ((releasedAt IS NULL) = (releasedById IS NULL))
) STRICT;
CREATE UNIQUE INDEX retentionHold_live ON retentionHold(childId) WHERE releasedAt IS NULL;
CREATE INDEX retentionHold_auditSeq ON retentionHold(auditSeq);

CREATE TABLE disposal (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL UNIQUE REFERENCES child(id),
  basis TEXT NOT NULL CHECK (basis IN ('retention', 'error')),
  retainedUntil TEXT,
  removed TEXT NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  approvedById INTEGER REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  CHECK (basis = 'retention' OR approvedById IS NOT NULL)
) STRICT;
CREATE INDEX disposal_auditSeq ON disposal(auditSeq);

-- A redaction of an entry that records rows also removes its reason (part
-- of its payload since schema version 9).
DROP TRIGGER auditEntry_noUpdate;
CREATE TRIGGER auditEntry_noUpdate BEFORE UPDATE ON auditEntry
WHEN NOT (
  OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.before IS NULL AND NEW.after IS NULL
  AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
  AND NEW.entity = OLD.entity AND NEW.entityId = OLD.entityId AND NEW.childId IS OLD.childId
  AND NEW.caseId IS OLD.caseId
  AND (NEW.reason IS OLD.reason OR (OLD.rowsDigest IS NOT NULL AND NEW.reason IS NULL))
  AND NEW.payloadDigest = OLD.payloadDigest
  AND NEW.hash = OLD.hash AND NEW.channel IS OLD.channel AND NEW.rowsDigest IS OLD.rowsDigest
)
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: its entries cannot be changed');
END;

-- @migration 11
-- The professionals around a child (social worker, independent reviewing
-- officer, designated teacher, virtual school head, therapeutic worker, …),
-- with their organisation and contact, current or ended.

CREATE TABLE professional (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  role TEXT NOT NULL CHECK (role IN ('social-worker', 'iro', 'designated-teacher', 'virtual-school-head',
    'therapeutic-worker', 'health-visitor', 'school-nurse', 'early-help-worker', 'youth-justice-worker',
    'police-officer', 'send-caseworker', 'other')),
  name TEXT NOT NULL CHECK (name <> ''),
  organisation TEXT,
  contact TEXT,
  since TEXT,
  endedOn TEXT CHECK (endedOn IS NULL OR since IS NULL OR endedOn >= since),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX professional_child ON professional(childId);
CREATE INDEX professional_auditSeq ON professional(auditSeq);

-- @migration 12
-- The register's full scope. Besides children missing education, the
-- authority tracks children on roll who are not receiving full-time
-- education: a part-time timetable (with its hours a week), an informal
-- exclusion, a looked-after child with no suitable place (the virtual school
-- as a source); such a case ends when full-time education is restored.
-- SQLite cannot widen a CHECK in place, so `cmeCase` is rebuilt: its rows
-- copied aside, the table dropped and made again with its indexes and
-- triggers, the rows copied back (keeping their ids and values, so their
-- row records still match). Migrations run with foreign
-- keys off and are checked before they commit.

CREATE TABLE cmeCase_copy AS SELECT id, reference, childId, openedOn, referralSource, reason, groundRegime, ground,
  lastAttended, whereaboutsKnown, leadCaseworkerId, status, closedOn, outcome, outcomeEvidence, rag, auditSeq,
  referralReceivedOn, deletionDate, outsideSchoolAgeReason FROM cmeCase;
DROP TABLE cmeCase;
CREATE TABLE cmeCase (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE CHECK (reference GLOB 'CME-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*'),
  childId INTEGER NOT NULL REFERENCES child(id),
  openedOn TEXT NOT NULL,
  referralSource TEXT NOT NULL CHECK (referralSource IN ('school-deletion-return',
    'school-referral', 'admissions', 'other-la', 'health', 'police', 'social-care', 'housing',
    'public', 'ehe-team', 'other', 'virtual-school')),
  reason TEXT NOT NULL CHECK (reason IN ('school-application-awaiting-outcome',
    'believed-moved-out-of-country', 'place-offered-not-started', 'ehe-unsuitable',
    'whereabouts-unknown', 'new-arrival-not-applied', 'perm-excluded-no-provision',
    'parent-refuses-to-apply', 'ehcp-no-placement-named', 'failed-to-start-reception-or-transfer',
    'other', 'not-known', 'part-time-timetable', 'informal-exclusion', 'lac-no-suitable-place')),
  groundRegime TEXT CHECK (groundRegime IN ('2006', '2024')),
  ground TEXT,
  lastAttended TEXT CHECK (lastAttended IS NULL OR lastAttended <= openedOn),
  whereaboutsKnown INTEGER NOT NULL CHECK (whereaboutsKnown IN (0, 1)),
  leadCaseworkerId INTEGER REFERENCES user(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  closedOn TEXT CHECK (closedOn IS NULL OR closedOn >= openedOn),
  outcome TEXT CHECK (outcome IN ('on-roll-la-school', 'on-roll-other-la-school',
    'on-roll-independent', 'transferred-to-other-la-cme', 'ehe-suitable', 'moved-abroad-confirmed',
    'moved-abroad-unconfirmed', 'ap-or-eotas-placed', 'lost-pupil-untraceable', 'ceased-csa',
    'deceased', 'custody', 'duplicate-or-error', 'full-time-restored')),
  outcomeEvidence TEXT,
  rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  referralReceivedOn TEXT CHECK (referralReceivedOn IS NULL OR referralReceivedOn <= openedOn),
  deletionDate TEXT CHECK (deletionDate IS NULL OR ground IS NOT NULL),
  outsideSchoolAgeReason TEXT,
  weeklyHours REAL CHECK (weeklyHours IS NULL OR (weeklyHours > 0 AND weeklyHours < 32.5
    AND reason IN ('part-time-timetable', 'informal-exclusion', 'lac-no-suitable-place'))),
  CHECK ((ground IS NULL) = (groundRegime IS NULL)),
  CHECK (groundRegime IS NOT '2024' OR ground GLOB '[A-O]'),
  CHECK (groundRegime IS NOT '2006' OR ground GLOB '[a-m]'),
  CHECK ((status = 'closed') = (closedOn IS NOT NULL AND outcome IS NOT NULL AND outcomeEvidence IS NOT NULL))
) STRICT;
INSERT INTO cmeCase (id, reference, childId, openedOn, referralSource, reason, groundRegime, ground,
  lastAttended, whereaboutsKnown, leadCaseworkerId, status, closedOn, outcome, outcomeEvidence, rag, auditSeq,
  referralReceivedOn, deletionDate, outsideSchoolAgeReason)
SELECT id, reference, childId, openedOn, referralSource, reason, groundRegime, ground,
  lastAttended, whereaboutsKnown, leadCaseworkerId, status, closedOn, outcome, outcomeEvidence, rag, auditSeq,
  referralReceivedOn, deletionDate, outsideSchoolAgeReason FROM cmeCase_copy;
DROP TABLE cmeCase_copy;
CREATE INDEX cmeCase_child ON cmeCase(childId);
CREATE INDEX cmeCase_status ON cmeCase(status, rag, openedOn);
CREATE UNIQUE INDEX cmeCase_oneOpenPerChild ON cmeCase(childId) WHERE status = 'open';
CREATE INDEX cmeCase_auditSeq ON cmeCase(auditSeq);
CREATE TRIGGER cmeCase_datesOnInsert BEFORE INSERT ON cmeCase
WHEN NEW.referralReceivedOn IS NULL OR (NEW.ground IS NOT NULL AND NEW.deletionDate IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a case needs referralReceivedOn, and a deletion ground its deletionDate');
END;
CREATE TRIGGER cmeCase_datesOnUpdate BEFORE UPDATE OF referralReceivedOn, ground, deletionDate ON cmeCase
WHEN NEW.referralReceivedOn IS NULL OR (NEW.ground IS NOT NULL AND NEW.deletionDate IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a case needs referralReceivedOn, and a deletion ground its deletionDate');
END;

-- @migration 13
-- Who an action is with, and when things happened. An action can name the
-- professional around the child who carries it (the social worker, the
-- virtual school head); a change of an action's state keeps the day it
-- happened (`occurredOn`: the partner did it on Tuesday, it was recorded on
-- Friday), beside when it was recorded (`at`).

ALTER TABLE caseAction ADD COLUMN professionalId INTEGER REFERENCES professional(id);
CREATE INDEX caseAction_professional ON caseAction(professionalId) WHERE professionalId IS NOT NULL;
ALTER TABLE caseActionEvent ADD COLUMN occurredOn TEXT
  CHECK (occurredOn IS NULL OR occurredOn GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');

-- @migration 14
-- The DfE's codes as schools record them: who gave a child's ethnicity
-- (the parent, the pupil, or a school ascribing it), whether the child is a
-- Service child, and free-school-meal eligibility as the periods schools
-- record (a start, an end unless it lasts, the UK country) from which
-- eligibility on a day and "ever 6" are worked out. `freeSchoolMeals` stays
-- for a yes/no given without periods.

ALTER TABLE child ADD COLUMN ethnicitySource TEXT CHECK (ethnicitySource IN ('parent', 'pupil', 'ascribed'));
ALTER TABLE child ADD COLUMN serviceChild TEXT CHECK (serviceChild IN ('yes', 'no', 'refused', 'not-known'));

CREATE TABLE childFSMPeriod (
  id INTEGER PRIMARY KEY,
  childId INTEGER NOT NULL REFERENCES child(id),
  startDate TEXT NOT NULL CHECK (startDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  endDate TEXT CHECK (endDate IS NULL OR endDate >= startDate),
  country TEXT NOT NULL CHECK (country IN ('ENG', 'WLS', 'SCO', 'NIR')),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX childFSMPeriod_child ON childFSMPeriod(childId);
CREATE INDEX childFSMPeriod_auditSeq ON childFSMPeriod(auditSeq);

-- The equality analysis counts disability and Service children too, so the
-- population baseline takes them (rebuilt, as cmeCase was in version 12).
CREATE TABLE populationBaseline_copy AS SELECT characteristic, code, count, auditSeq FROM populationBaseline;
DROP TABLE populationBaseline;
CREATE TABLE populationBaseline (
  characteristic TEXT NOT NULL CHECK (characteristic IN ('total', 'ethnicity', 'named-group', 'sex', 'sen',
    'looked-after', 'child-in-need', 'child-protection', 'fsm', 'eal', 'disability', 'service-child')),
  code TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (characteristic, code)
) STRICT;
INSERT INTO populationBaseline (characteristic, code, count, auditSeq)
SELECT characteristic, code, count, auditSeq FROM populationBaseline_copy;
DROP TABLE populationBaseline_copy;
CREATE INDEX populationBaseline_auditSeq ON populationBaseline(auditSeq);

-- @migration 15
-- Calendars as schools keep them: training (INSET) days, on which pupils
-- are not taught (a school year has 190 pupil days), and a school's own
-- calendar (an academy sets its term dates) beside the authority's: `school`
-- names the school (`urn:NNNNNN` or `laestab:LLLEEEE`), NULL the authority.
-- A case's clocks count in the calendar of the child's last school when it
-- has one, else the authority's. And the day a leave of absence ended,
-- which starts the 10 school days of ground H. Both tables are rebuilt to
-- widen their CHECK lists, as cmeCase was in version 12.

CREATE TABLE calendarPeriod_copy AS SELECT id, kind, startDate, endDate, description, auditSeq FROM calendarPeriod;
DROP TABLE calendarPeriod;
CREATE TABLE calendarPeriod (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('term', 'closure', 'training')),
  startDate TEXT NOT NULL,
  endDate TEXT NOT NULL CHECK (endDate >= startDate),
  description TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  school TEXT CHECK (school IS NULL OR school GLOB 'urn:[0-9]*' OR school GLOB 'laestab:[0-9]*')
) STRICT;
INSERT INTO calendarPeriod (id, kind, startDate, endDate, description, auditSeq)
SELECT id, kind, startDate, endDate, description, auditSeq FROM calendarPeriod_copy;
DROP TABLE calendarPeriod_copy;
CREATE INDEX calendarPeriod_auditSeq ON calendarPeriod(auditSeq);
CREATE INDEX calendarPeriod_school ON calendarPeriod(school);

CREATE TABLE caseMilestone_copy AS SELECT caseId, kind, onDate, byUserId, at, auditSeq FROM caseMilestone;
DROP TABLE caseMilestone;
CREATE TABLE caseMilestone (
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  kind TEXT NOT NULL CHECK (kind IN ('ill-since', 'fair-access-referred', 'leave-ended')),
  onDate TEXT NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (caseId, kind)
) STRICT;
INSERT INTO caseMilestone (caseId, kind, onDate, byUserId, at, auditSeq)
SELECT caseId, kind, onDate, byUserId, at, auditSeq FROM caseMilestone_copy;
DROP TABLE caseMilestone_copy;
CREATE INDEX caseMilestone_auditSeq ON caseMilestone(auditSeq);

-- @migration 16
-- Notifications and letters. A move to another authority keeps that
-- authority's DfE LA number with the closing evidence; a CME notification
-- sent to (or received from) another authority is recorded on the case; a
-- letter or notice issued (to parents, including the s437 notices, to a
-- school, to the virtual school) is kept as it was sent, with the day it
-- asks an answer by; an authority's own wording of each letter replaces the
-- shipped one.

ALTER TABLE closureEvidence ADD COLUMN destinationLA TEXT CHECK (destinationLA IS NULL OR destinationLA GLOB '[0-9][0-9][0-9]');

CREATE TABLE caseLetter (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  kind TEXT NOT NULL CHECK (kind IN ('parent-enquiry', 's437-notice', 's437-intention', 'school-enquiry',
    'virtual-school', 'la-notification')),
  addressee TEXT NOT NULL CHECK (addressee <> ''),
  issuedOn TEXT NOT NULL,
  respondBy TEXT CHECK (respondBy IS NULL OR respondBy > issuedOn),
  body TEXT NOT NULL,
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX caseLetter_case ON caseLetter(caseId);
CREATE INDEX caseLetter_auditSeq ON caseLetter(auditSeq);

CREATE TABLE laNotification (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
  laCode TEXT NOT NULL CHECK (laCode GLOB '[0-9][0-9][0-9]'),
  onDate TEXT NOT NULL,
  note TEXT,
  letterId INTEGER REFERENCES caseLetter(id),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX laNotification_case ON laNotification(caseId);
CREATE INDEX laNotification_auditSeq ON laNotification(auditSeq);

CREATE TABLE letterTemplate (
  kind TEXT PRIMARY KEY CHECK (kind IN ('parent-enquiry', 's437-notice', 's437-intention', 'school-enquiry',
    'virtual-school', 'la-notification')),
  body TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX letterTemplate_auditSeq ON letterTemplate(auditSeq);

-- @migration 17
-- Illness absence in spells: a child absent ill for 15 school days in the
-- school year, consecutive or cumulative, is owed education arranged by the
-- LA (s19); each spell has its first and last day (none while it lasts).
-- A case's `ill-since` milestone stays as the spell it began.

CREATE TABLE illnessSpell (
  id INTEGER PRIMARY KEY,
  caseId INTEGER NOT NULL REFERENCES cmeCase(id),
  fromDate TEXT NOT NULL CHECK (fromDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  toDate TEXT CHECK (toDate IS NULL OR toDate >= fromDate),
  byUserId INTEGER NOT NULL REFERENCES user(id),
  at TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX illnessSpell_case ON illnessSpell(caseId);
CREATE INDEX illnessSpell_auditSeq ON illnessSpell(auditSeq);

-- @migration 18
-- The DfE's four-letter first-language codes (a variety of a language:
-- PNJM, Panjabi (Mirpuri)) fit `child.firstLanguage`, which took three
-- letters only: the table is rebuilt (rows copied aside and back with their
-- ids and values; its indexes and the name index's triggers made again; the
-- name index itself is unchanged, as the names are).

CREATE TABLE child_copy AS SELECT id, legalSurname, legalForename, middleNames, preferredSurname, preferredForename, dateOfBirth, sex,
  genderIdentity, upn, ethnicity, firstLanguage, religion, senProvision, disability, lookedAfter, careAuthority,
  childProtectionPlan, childInNeed, youthJustice, freeSchoolMeals, sexualOrientation, circumstances, lastSchool,
  createdAt, auditSeq, ethnicitySource, serviceChild FROM child;
DROP TABLE child;
CREATE TABLE child (
  id INTEGER PRIMARY KEY,
  legalSurname TEXT NOT NULL CHECK (legalSurname <> ''),
  legalForename TEXT NOT NULL CHECK (legalForename <> ''),
  middleNames TEXT,
  preferredSurname TEXT,
  preferredForename TEXT,
  dateOfBirth TEXT NOT NULL CHECK (dateOfBirth GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'U')),
  genderIdentity TEXT,
  upn TEXT UNIQUE CHECK (upn IS NULL OR length(upn) = 13),
  ethnicity TEXT CHECK (ethnicity IS NULL OR length(ethnicity) = 4),
  firstLanguage TEXT CHECK (firstLanguage IS NULL OR length(firstLanguage) IN (3, 4)),
  religion TEXT,
  senProvision TEXT CHECK (senProvision IN ('E', 'K', 'N')),
  disability TEXT,
  lookedAfter INTEGER NOT NULL DEFAULT 0 CHECK (lookedAfter IN (0, 1)),
  careAuthority TEXT CHECK (careAuthority IS NULL OR lookedAfter = 1),
  childProtectionPlan INTEGER NOT NULL DEFAULT 0 CHECK (childProtectionPlan IN (0, 1)),
  childInNeed INTEGER NOT NULL DEFAULT 0 CHECK (childInNeed IN (0, 1)),
  youthJustice INTEGER NOT NULL DEFAULT 0 CHECK (youthJustice IN (0, 1)),
  freeSchoolMeals INTEGER CHECK (freeSchoolMeals IN (0, 1)),
  sexualOrientation TEXT,
  circumstances TEXT,
  lastSchool TEXT CHECK (lastSchool IS NULL OR lastSchool GLOB 'urn:[0-9][0-9][0-9][0-9][0-9][0-9]'
    OR lastSchool GLOB 'laestab:[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  createdAt TEXT NOT NULL,
  auditSeq INTEGER NOT NULL REFERENCES auditEntry(seq) DEFERRABLE INITIALLY DEFERRED,
  ethnicitySource TEXT CHECK (ethnicitySource IN ('parent', 'pupil', 'ascribed')),
  serviceChild TEXT CHECK (serviceChild IN ('yes', 'no', 'refused', 'not-known'))
) STRICT;
INSERT INTO child (id, legalSurname, legalForename, middleNames, preferredSurname, preferredForename, dateOfBirth, sex,
  genderIdentity, upn, ethnicity, firstLanguage, religion, senProvision, disability, lookedAfter, careAuthority,
  childProtectionPlan, childInNeed, youthJustice, freeSchoolMeals, sexualOrientation, circumstances, lastSchool,
  createdAt, auditSeq, ethnicitySource, serviceChild)
SELECT id, legalSurname, legalForename, middleNames, preferredSurname, preferredForename, dateOfBirth, sex,
  genderIdentity, upn, ethnicity, firstLanguage, religion, senProvision, disability, lookedAfter, careAuthority,
  childProtectionPlan, childInNeed, youthJustice, freeSchoolMeals, sexualOrientation, circumstances, lastSchool,
  createdAt, auditSeq, ethnicitySource, serviceChild FROM child_copy;
DROP TABLE child_copy;
CREATE INDEX child_name ON child(legalSurname COLLATE NOCASE, legalForename COLLATE NOCASE);
CREATE INDEX child_dateOfBirth ON child(dateOfBirth);
CREATE INDEX child_auditSeq ON child(auditSeq);
CREATE TRIGGER child_nameIndexInsert AFTER INSERT ON child
BEGIN
  INSERT INTO childNameIndex (rowid, names) VALUES (NEW.id, (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.id));
END;
CREATE TRIGGER child_nameIndexUpdate
AFTER UPDATE OF legalForename, middleNames, legalSurname, preferredForename, preferredSurname ON child
BEGIN
  UPDATE childNameIndex SET names = (SELECT ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '')
    FROM child ch WHERE ch.id = NEW.id) WHERE rowid = NEW.id;
END;
CREATE TRIGGER child_nameIndexDelete AFTER DELETE ON child
BEGIN
  DELETE FROM childNameIndex WHERE rowid = OLD.id;
END;


-- @migration 19
-- The board pack in two parts (Part A, figures for publication; Part B, the
-- exempt decision agenda): each pack records which part it holds (NULL:
-- both) and the figures of Part A it published (JSON, name to published
-- text), which the next meeting's pack compares with. A manager may mark a
-- decision's note safe to print in the pack; otherwise only its category is.
ALTER TABLE boardPack ADD COLUMN part TEXT CHECK (part IS NULL OR part IN ('a', 'b'));
ALTER TABLE boardPack ADD COLUMN figures TEXT CHECK (figures IS NULL OR json_valid(figures));
ALTER TABLE boardDecision ADD COLUMN noteSafe INTEGER CHECK (noteSafe IS NULL OR noteSafe = 1);

-- @migration 20
-- The open cases in the order the register check reads them, worst first
-- (red, amber, green, unrated; then the longest open): the first page is read
-- from this index, not sorted from every open case. The expression is the
-- one the check orders by (CaseTable.worstFirst): were they to differ, the
-- list would still be right, only sorted again.
CREATE INDEX cmeCase_worstOpen ON cmeCase(
  (CASE rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END), openedOn, id
) WHERE status = 'open';

-- @migration 21
-- Finding a child by postcode (any address they are known at) from an index.
CREATE INDEX childAddress_postcode ON childAddress(postcode);
-- The name index also holds each child's names without accents, so that a
-- search typed without them (Lukasz, Kowalska) finds the names recorded with
-- them (Łukasz, Kowalská). The text indexed is one view's (accents taken
-- off in seven steps: SQLite's parser nests calls only so deep), used by every
-- trigger that keeps the index in step; the triggers are made again to use
-- it, and the index filled again.
CREATE VIEW childNameRaw AS SELECT ch.id AS id, ch.legalForename || ' ' || ifnull(ch.middleNames, '') || ' ' || ch.legalSurname || ' '
    || ifnull(ch.preferredForename, '') || ' ' || ifnull(ch.preferredSurname, '') || ' '
    || ifnull((SELECT group_concat(f.name, ' ') FROM childFormerName f WHERE f.childId = ch.id), '') AS raw
  FROM child ch;
CREATE VIEW childNameFolded1 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(raw,
  'á', 'a'), 'Á', 'A'), 'à', 'a'), 'À', 'A'), 'â', 'a'), 'Â', 'A'), 'ä', 'a'), 'Ä', 'A'), 'ã', 'a'), 'Ã', 'A'),
  'å', 'a'), 'Å', 'A'), 'ą', 'a'), 'Ą', 'A'), 'ā', 'a'), 'Ā', 'A'), 'ă', 'a'), 'Ă', 'A'), 'ç', 'c'), 'Ç', 'C'),
  'ć', 'c'), 'Ć', 'C'), 'č', 'c'), 'Č', 'C') AS folded
  FROM childNameRaw;
CREATE VIEW childNameFolded2 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(folded,
  'ĉ', 'c'), 'Ĉ', 'C'), 'ď', 'd'), 'Ď', 'D'), 'đ', 'd'), 'Đ', 'D'), 'é', 'e'), 'É', 'E'), 'è', 'e'), 'È', 'E'),
  'ê', 'e'), 'Ê', 'E'), 'ë', 'e'), 'Ë', 'E'), 'ę', 'e'), 'Ę', 'E'), 'ě', 'e'), 'Ě', 'E'), 'ē', 'e'), 'Ē', 'E'),
  'ė', 'e'), 'Ė', 'E'), 'ğ', 'g'), 'Ğ', 'G') AS folded
  FROM childNameFolded1;
CREATE VIEW childNameFolded3 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(folded,
  'ĝ', 'g'), 'Ĝ', 'G'), 'í', 'i'), 'Í', 'I'), 'ì', 'i'), 'Ì', 'I'), 'î', 'i'), 'Î', 'I'), 'ï', 'i'), 'Ï', 'I'),
  'ī', 'i'), 'Ī', 'I'), 'į', 'i'), 'Į', 'I'), 'ł', 'l'), 'Ł', 'L'), 'ľ', 'l'), 'Ľ', 'L'), 'ĺ', 'l'), 'Ĺ', 'L'),
  'ñ', 'n'), 'Ñ', 'N'), 'ń', 'n'), 'Ń', 'N') AS folded
  FROM childNameFolded2;
CREATE VIEW childNameFolded4 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(folded,
  'ň', 'n'), 'Ň', 'N'), 'ņ', 'n'), 'Ņ', 'N'), 'ó', 'o'), 'Ó', 'O'), 'ò', 'o'), 'Ò', 'O'), 'ô', 'o'), 'Ô', 'O'),
  'ö', 'o'), 'Ö', 'O'), 'õ', 'o'), 'Õ', 'O'), 'ø', 'o'), 'Ø', 'O'), 'ő', 'o'), 'Ő', 'O'), 'ō', 'o'), 'Ō', 'O'),
  'ř', 'r'), 'Ř', 'R'), 'ŕ', 'r'), 'Ŕ', 'R') AS folded
  FROM childNameFolded3;
CREATE VIEW childNameFolded5 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(folded,
  'ś', 's'), 'Ś', 'S'), 'š', 's'), 'Š', 'S'), 'ş', 's'), 'Ş', 'S'), 'ș', 's'), 'Ș', 'S'), 'ŝ', 's'), 'Ŝ', 'S'),
  'ť', 't'), 'Ť', 'T'), 'ț', 't'), 'Ț', 'T'), 'ţ', 't'), 'Ţ', 'T'), 'ú', 'u'), 'Ú', 'U'), 'ù', 'u'), 'Ù', 'U'),
  'û', 'u'), 'Û', 'U'), 'ü', 'u'), 'Ü', 'U') AS folded
  FROM childNameFolded4;
CREATE VIEW childNameFolded6 AS SELECT id, raw, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(folded,
  'ů', 'u'), 'Ů', 'U'), 'ű', 'u'), 'Ű', 'U'), 'ū', 'u'), 'Ū', 'U'), 'ų', 'u'), 'Ų', 'U'), 'ý', 'y'), 'Ý', 'Y'),
  'ÿ', 'y'), 'Ÿ', 'Y'), 'ź', 'z'), 'Ź', 'Z'), 'ż', 'z'), 'Ż', 'Z'), 'ž', 'z'), 'Ž', 'Z'), 'ß', 'ss'), 'æ',
  'ae'), 'Æ', 'AE'), 'œ', 'oe'), 'Œ', 'OE'), 'ı', 'i') AS folded
  FROM childNameFolded5;
CREATE VIEW childNameFolded7 AS SELECT id, raw, replace(folded, 'İ', 'I') AS folded
  FROM childNameFolded6;
-- Names all in plain ASCII are indexed as they are, without computing the
-- folded text (a CASE evaluates only the branch it takes): three times faster
-- to insert.
CREATE VIEW childNameText AS SELECT id, CASE WHEN raw GLOB '*[^ -~]*' THEN raw || ' ' || folded ELSE raw END AS names
  FROM childNameFolded7;
DROP TRIGGER child_nameIndexInsert;
DROP TRIGGER child_nameIndexUpdate;
DROP TRIGGER childFormerName_nameIndexInsert;
DROP TRIGGER childFormerName_nameIndexDelete;
DROP TRIGGER childFormerName_nameIndexUpdate;
CREATE TRIGGER child_nameIndexInsert AFTER INSERT ON child
BEGIN
  INSERT INTO childNameIndex (rowid, names) VALUES (NEW.id, (SELECT names FROM childNameText WHERE id = NEW.id));
END;
CREATE TRIGGER child_nameIndexUpdate
AFTER UPDATE OF legalForename, middleNames, legalSurname, preferredForename, preferredSurname ON child
BEGIN
  UPDATE childNameIndex SET names = (SELECT names FROM childNameText WHERE id = NEW.id) WHERE rowid = NEW.id;
END;
CREATE TRIGGER childFormerName_nameIndexInsert AFTER INSERT ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT names FROM childNameText WHERE id = NEW.childId) WHERE rowid = NEW.childId;
END;
CREATE TRIGGER childFormerName_nameIndexDelete AFTER DELETE ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT names FROM childNameText WHERE id = OLD.childId) WHERE rowid = OLD.childId;
END;
CREATE TRIGGER childFormerName_nameIndexUpdate AFTER UPDATE ON childFormerName
BEGIN
  UPDATE childNameIndex SET names = (SELECT names FROM childNameText WHERE id = OLD.childId) WHERE rowid = OLD.childId;
  UPDATE childNameIndex SET names = (SELECT names FROM childNameText WHERE id = NEW.childId) WHERE rowid = NEW.childId;
END;
DELETE FROM childNameIndex;
INSERT INTO childNameIndex (rowid, names) SELECT id, names FROM childNameText;

-- @migration 22
-- The list of cases, newest first, read from an index rather than sorted
-- (on its own, and by status; status and rating use cmeCase_status).
CREATE INDEX cmeCase_opened ON cmeCase(openedOn);
CREATE INDEX cmeCase_statusOpened ON cmeCase(status, openedOn);

-- @migration 23
-- Names written with an apostrophe (O'Brien, D’Souza) are also indexed
-- without it, so that a search typed in lower case without one ("obrien")
-- finds them; the folded text loses its apostrophes.
DROP VIEW childNameText;
CREATE VIEW childNameText AS SELECT id, CASE
    WHEN raw GLOB '*[^ -~]*' OR raw GLOB '*''*' THEN raw || ' ' || replace(replace(folded, '''', ''), '’', '')
    ELSE raw END AS names
  FROM childNameFolded7;
DELETE FROM childNameIndex;
INSERT INTO childNameIndex (rowid, names) SELECT id, names FROM childNameText;

-- @migration 24
-- A caseworker's own open cases, worst first (My work): counted and the
-- first page read from this index, not from every open case. The live
-- actions' index also holds the case, so "due on the cases I lead" is
-- answered from it without reading each action.
CREATE INDEX cmeCase_leadWorstOpen ON cmeCase(
  leadCaseworkerId, (CASE rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END), openedOn, id
) WHERE status = 'open';
DROP INDEX caseAction_live;
CREATE INDEX caseAction_live ON caseAction(state, dueOn, caseId);

-- @migration 25
-- The live actions in the order My work lists them (due date, then id):
-- the first page is read in order and stops, rather than every live action
-- due by next week being read and sorted for a caseworker who leads 20,000
-- open cases.
CREATE INDEX caseAction_liveDue ON caseAction(dueOn, id, caseId) WHERE state IN ('open', 'accepted');

-- @migration 26
-- Each register-check cycle's progress, kept up to date by the triggers
-- below as checks are recorded and cases open and close, so that the
-- register check shows it without counting every open case and every check
-- (at 100,000 open cases that took about 100 ms of every page). `verify`
-- compares it with `registerCycleRecount`.
--   checked             cases checked in the cycle, each once;
--   toCheck             open cases not checked in it: kept while the cycle
--                       is open, then as it closed (every one exempted);
--   explained, actionRequired, escalated
--                       each case's latest check in the cycle, by outcome;
--   withoutExplanation  latest checks that found no satisfactory explanation.
CREATE TABLE registerCycleTally (
  cycleId INTEGER PRIMARY KEY REFERENCES registerCycle(id),
  checked INTEGER NOT NULL,
  toCheck INTEGER NOT NULL,
  explained INTEGER NOT NULL,
  actionRequired INTEGER NOT NULL,
  escalated INTEGER NOT NULL,
  withoutExplanation INTEGER NOT NULL
) STRICT;

-- The same figures counted from the rows, for every cycle (a closed cycle's
-- cases to check are those it exempted).
CREATE VIEW registerCycleRecount AS
SELECT y.id AS cycleId, coalesce(l.checked, 0) AS checked,
  CASE WHEN y.closedOn IS NULL THEN (
      SELECT count(*) FROM cmeCase c WHERE c.status = 'open'
        AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.cycleId = y.id AND k.caseId = c.id))
    ELSE (SELECT count(*) FROM registerCycleExemption e WHERE e.cycleId = y.id) END AS toCheck,
  coalesce(l.explained, 0) AS explained, coalesce(l.actionRequired, 0) AS actionRequired,
  coalesce(l.escalated, 0) AS escalated, coalesce(l.withoutExplanation, 0) AS withoutExplanation
FROM registerCycle y LEFT JOIN (
  SELECT cycleId, count(*) AS checked, sum(outcome = 'explained') AS explained,
    sum(outcome = 'action-required') AS actionRequired, sum(outcome = 'escalated') AS escalated,
    sum(satisfactoryExplanation = 0) AS withoutExplanation
  -- With max() alone, SQLite takes the other columns from the row holding the maximum: the latest check.
  FROM (SELECT cycleId, caseId, max(id), outcome, satisfactoryExplanation FROM registerCheck GROUP BY cycleId, caseId)
  GROUP BY cycleId
) l ON l.cycleId = y.id;

INSERT INTO registerCycleTally SELECT * FROM registerCycleRecount;

-- A new cycle: nothing checked yet, every open case to check.
CREATE TRIGGER registerCycle_tallyStart AFTER INSERT ON registerCycle BEGIN
  INSERT INTO registerCycleTally (cycleId, checked, toCheck, explained, actionRequired, escalated, withoutExplanation)
  VALUES (NEW.id, 0, (SELECT count(*) FROM cmeCase WHERE status = 'open'), 0, 0, 0, 0);
END;

-- A case's first check in a cycle: one more checked, one fewer to check.
CREATE TRIGGER registerCheck_tallyFirst AFTER INSERT ON registerCheck
WHEN NOT EXISTS (SELECT 1 FROM registerCheck WHERE cycleId = NEW.cycleId AND caseId = NEW.caseId AND id <> NEW.id)
BEGIN
  UPDATE registerCycleTally SET checked = checked + 1,
    toCheck = toCheck - ((SELECT status FROM cmeCase WHERE id = NEW.caseId) = 'open'
      AND (SELECT closedOn FROM registerCycle WHERE id = NEW.cycleId) IS NULL),
    explained = explained + (NEW.outcome = 'explained'),
    actionRequired = actionRequired + (NEW.outcome = 'action-required'),
    escalated = escalated + (NEW.outcome = 'escalated'),
    withoutExplanation = withoutExplanation + (NEW.satisfactoryExplanation = 0)
  WHERE cycleId = NEW.cycleId;
END;

-- A case checked again in the cycle: the new check counts instead of the
-- one before it.
CREATE TRIGGER registerCheck_tallyAgain AFTER INSERT ON registerCheck
WHEN EXISTS (SELECT 1 FROM registerCheck WHERE cycleId = NEW.cycleId AND caseId = NEW.caseId AND id < NEW.id)
  AND NOT EXISTS (SELECT 1 FROM registerCheck WHERE cycleId = NEW.cycleId AND caseId = NEW.caseId AND id > NEW.id)
BEGIN
  UPDATE registerCycleTally SET
    explained = explained + (NEW.outcome = 'explained') - (p.outcome = 'explained'),
    actionRequired = actionRequired + (NEW.outcome = 'action-required') - (p.outcome = 'action-required'),
    escalated = escalated + (NEW.outcome = 'escalated') - (p.outcome = 'escalated'),
    withoutExplanation = withoutExplanation + (NEW.satisfactoryExplanation = 0) - (p.satisfactoryExplanation = 0)
  FROM (SELECT outcome, satisfactoryExplanation FROM registerCheck
    WHERE cycleId = NEW.cycleId AND caseId = NEW.caseId AND id < NEW.id ORDER BY id DESC LIMIT 1) AS p
  WHERE cycleId = NEW.cycleId;
END;

-- A case opened, closed or reopened while a cycle is open, and not checked in it.
CREATE TRIGGER cmeCase_tallyInsert AFTER INSERT ON cmeCase WHEN NEW.status = 'open' BEGIN
  UPDATE registerCycleTally SET toCheck = toCheck + 1
  WHERE cycleId IN (SELECT id FROM registerCycle WHERE closedOn IS NULL)
    AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.cycleId = registerCycleTally.cycleId AND k.caseId = NEW.id);
END;
CREATE TRIGGER cmeCase_tallyStatus AFTER UPDATE OF status ON cmeCase WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE registerCycleTally SET toCheck = toCheck + (NEW.status = 'open') - (OLD.status = 'open')
  WHERE cycleId IN (SELECT id FROM registerCycle WHERE closedOn IS NULL)
    AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.cycleId = registerCycleTally.cycleId AND k.caseId = NEW.id);
END;
CREATE TRIGGER cmeCase_tallyDelete AFTER DELETE ON cmeCase WHEN OLD.status = 'open' BEGIN
  UPDATE registerCycleTally SET toCheck = toCheck - 1
  WHERE cycleId IN (SELECT id FROM registerCycle WHERE closedOn IS NULL)
    AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.cycleId = registerCycleTally.cycleId AND k.caseId = OLD.id);
END;

-- What cme never does (a check changed or removed, a cycle reopened or
-- removed): every cycle counted again.
CREATE TRIGGER registerCheck_tallyChange
AFTER UPDATE OF id, cycleId, caseId, outcome, satisfactoryExplanation ON registerCheck BEGIN
  DELETE FROM registerCycleTally;
  INSERT INTO registerCycleTally SELECT * FROM registerCycleRecount;
END;
CREATE TRIGGER registerCheck_tallyDelete AFTER DELETE ON registerCheck BEGIN
  DELETE FROM registerCycleTally;
  INSERT INTO registerCycleTally SELECT * FROM registerCycleRecount;
END;
CREATE TRIGGER registerCycle_tallyChange AFTER UPDATE OF id ON registerCycle BEGIN
  DELETE FROM registerCycleTally;
  INSERT INTO registerCycleTally SELECT * FROM registerCycleRecount;
END;
CREATE TRIGGER registerCycle_tallyReopen AFTER UPDATE OF closedOn ON registerCycle
WHEN OLD.closedOn IS NOT NULL AND NEW.closedOn IS NULL BEGIN
  DELETE FROM registerCycleTally;
  INSERT INTO registerCycleTally SELECT * FROM registerCycleRecount;
END;
CREATE TRIGGER registerCycle_tallyDelete AFTER DELETE ON registerCycle BEGIN
  DELETE FROM registerCycleTally WHERE cycleId = OLD.id;
END;

-- @migration 27
-- What each case's casework says, as its assessment reads it, kept up to
-- date by the triggers below whenever a visit, action, enquiry, illness
-- spell or milestone is added, changed or removed, so that assessing many
-- cases (the register check's export, a meeting's agenda, the board pack)
-- reads one row per case instead of every visit and enquiry (at 58,000
-- cases that was 800,000 rows and half of the export's time). A case with
-- nothing recorded may have no row. `verify` compares it with
-- `caseWorkRecount`, which counts the same from the rows.
--   firstHomeVisit     the day of the first home visit;
--   lastContactId      the latest visit or contact (by date, time of day, id);
--   lastSeen           the latest day the child was seen;
--   liveActionsDue     the due days of the actions open or accepted, in order,
--                      comma-separated;
--   enquiriesDone, enquiriesNotApplicable
--                      the checklist's items in each state, in order,
--                      comma-separated;
--   ctfSentOn          the day the `ctf-xxx` enquiry was done;
--   illnessSpells      each spell of illness absence as FROM/TO (TO empty
--                      while it goes on), by its first day, comma-separated;
--   illSince, fairAccessReferredOn, leaveEndedOn
--                      the case's milestones.
CREATE TABLE caseWork (
  caseId INTEGER PRIMARY KEY,
  firstHomeVisit TEXT,
  lastContactId INTEGER,
  lastSeen TEXT,
  liveActionsDue TEXT,
  enquiriesDone TEXT,
  enquiriesNotApplicable TEXT,
  ctfSentOn TEXT,
  illnessSpells TEXT,
  illSince TEXT,
  fairAccessReferredOn TEXT,
  leaveEndedOn TEXT
) STRICT;

-- The same, counted from the rows, for every case (one case's row is read
-- by its id: SQLite looks each column up by that case alone).
CREATE VIEW caseWorkRecount AS
SELECT c.id AS caseId,
  (SELECT min(date) FROM visit WHERE caseId = c.id AND type = 'home-visit') AS firstHomeVisit,
  (SELECT id FROM visit WHERE caseId = c.id ORDER BY date DESC, time DESC, id DESC LIMIT 1) AS lastContactId,
  (SELECT max(date) FROM visit WHERE caseId = c.id AND childSeen = 1) AS lastSeen,
  (SELECT group_concat(dueOn, ',') FROM (
    SELECT dueOn FROM caseAction WHERE caseId = c.id AND state IN ('open', 'accepted') ORDER BY dueOn))
    AS liveActionsDue,
  (SELECT group_concat(item, ',') FROM (
    SELECT item FROM enquiry WHERE caseId = c.id AND state = 'done' ORDER BY item)) AS enquiriesDone,
  (SELECT group_concat(item, ',') FROM (
    SELECT item FROM enquiry WHERE caseId = c.id AND state = 'not-applicable' ORDER BY item))
    AS enquiriesNotApplicable,
  (SELECT doneOn FROM enquiry WHERE caseId = c.id AND item = 'ctf-xxx' AND state = 'done') AS ctfSentOn,
  (SELECT group_concat(fromDate || '/' || coalesce(toDate, ''), ',') FROM (
    SELECT fromDate, toDate FROM illnessSpell WHERE caseId = c.id ORDER BY fromDate, id)) AS illnessSpells,
  (SELECT onDate FROM caseMilestone WHERE caseId = c.id AND kind = 'ill-since') AS illSince,
  (SELECT onDate FROM caseMilestone WHERE caseId = c.id AND kind = 'fair-access-referred') AS fairAccessReferredOn,
  (SELECT onDate FROM caseMilestone WHERE caseId = c.id AND kind = 'leave-ended') AS leaveEndedOn
FROM cmeCase c;

-- Filled for the cases with anything recorded.
INSERT INTO caseWork SELECT * FROM caseWorkRecount
WHERE coalesce(firstHomeVisit, lastContactId, lastSeen, liveActionsDue, enquiriesDone, enquiriesNotApplicable,
  ctfSentOn, illnessSpells, illSince, fairAccessReferredOn, leaveEndedOn) IS NOT NULL;

-- A row added, changed or removed: its case (both cases, for a row moved
-- from one to another) counted again. (Removed and added rather than
-- replaced: a statement's own conflict clause, such as an upsert's, would
-- override a trigger's.)
CREATE TRIGGER visit_caseWorkInsert AFTER INSERT ON visit BEGIN
  DELETE FROM caseWork WHERE caseId = NEW.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = NEW.caseId;
END;
CREATE TRIGGER visit_caseWorkUpdate AFTER UPDATE OF id, caseId, type, date, time, childSeen ON visit BEGIN
  DELETE FROM caseWork WHERE caseId IN (OLD.caseId, NEW.caseId);
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId IN (OLD.caseId, NEW.caseId);
END;
CREATE TRIGGER visit_caseWorkDelete AFTER DELETE ON visit BEGIN
  DELETE FROM caseWork WHERE caseId = OLD.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = OLD.caseId;
END;
CREATE TRIGGER caseAction_caseWorkInsert AFTER INSERT ON caseAction BEGIN
  DELETE FROM caseWork WHERE caseId = NEW.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = NEW.caseId;
END;
CREATE TRIGGER caseAction_caseWorkUpdate AFTER UPDATE OF caseId, state, dueOn ON caseAction BEGIN
  DELETE FROM caseWork WHERE caseId IN (OLD.caseId, NEW.caseId);
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId IN (OLD.caseId, NEW.caseId);
END;
CREATE TRIGGER caseAction_caseWorkDelete AFTER DELETE ON caseAction BEGIN
  DELETE FROM caseWork WHERE caseId = OLD.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = OLD.caseId;
END;
CREATE TRIGGER enquiry_caseWorkInsert AFTER INSERT ON enquiry BEGIN
  DELETE FROM caseWork WHERE caseId = NEW.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = NEW.caseId;
END;
CREATE TRIGGER enquiry_caseWorkUpdate AFTER UPDATE OF caseId, item, state, doneOn ON enquiry BEGIN
  DELETE FROM caseWork WHERE caseId IN (OLD.caseId, NEW.caseId);
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId IN (OLD.caseId, NEW.caseId);
END;
CREATE TRIGGER enquiry_caseWorkDelete AFTER DELETE ON enquiry BEGIN
  DELETE FROM caseWork WHERE caseId = OLD.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = OLD.caseId;
END;
CREATE TRIGGER illnessSpell_caseWorkInsert AFTER INSERT ON illnessSpell BEGIN
  DELETE FROM caseWork WHERE caseId = NEW.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = NEW.caseId;
END;
CREATE TRIGGER illnessSpell_caseWorkUpdate AFTER UPDATE OF id, caseId, fromDate, toDate ON illnessSpell BEGIN
  DELETE FROM caseWork WHERE caseId IN (OLD.caseId, NEW.caseId);
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId IN (OLD.caseId, NEW.caseId);
END;
CREATE TRIGGER illnessSpell_caseWorkDelete AFTER DELETE ON illnessSpell BEGIN
  DELETE FROM caseWork WHERE caseId = OLD.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = OLD.caseId;
END;
CREATE TRIGGER caseMilestone_caseWorkInsert AFTER INSERT ON caseMilestone BEGIN
  DELETE FROM caseWork WHERE caseId = NEW.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = NEW.caseId;
END;
CREATE TRIGGER caseMilestone_caseWorkUpdate AFTER UPDATE OF caseId, kind, onDate ON caseMilestone BEGIN
  DELETE FROM caseWork WHERE caseId IN (OLD.caseId, NEW.caseId);
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId IN (OLD.caseId, NEW.caseId);
END;
CREATE TRIGGER caseMilestone_caseWorkDelete AFTER DELETE ON caseMilestone BEGIN
  DELETE FROM caseWork WHERE caseId = OLD.caseId;
  INSERT INTO caseWork SELECT * FROM caseWorkRecount WHERE caseId = OLD.caseId;
END;

PRAGMA user_version = 27;
