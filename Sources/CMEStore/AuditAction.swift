import CMEDomain

/// What an audit entry records: every kind of change and every look at a
/// child's data that the register logs. The raw value is what the log
/// stores (and what `cme audit log` shows); the log of an existing register
/// holds these texts, so a raw value never changes.
public enum AuditAction: String, Sendable, CaseIterable, Codable {
  case registerInit = "register.init"
  case demoGenerate = "demo.generate"
  case userAdd = "user.add"
  case settingSet = "setting.set"
  case childAdd = "child.add"
  case childUpdate = "child.update"
  case childView = "child.view"
  case childSearch = "child.search"
  case childMerge = "child.merge"
  case caseOpen = "case.open"
  case caseUpdate = "case.update"
  case caseView = "case.view"
  case caseClose = "case.close"
  case caseReopen = "case.reopen"
  case ragSet = "rag.set"
  case visitLog = "visit.log"
  case enquiryDone = "enquiry.done"
  case enquiryNotApplicable = "enquiry.na"
  case actionAdd = "action.add"
  case actionAccepted = "action.accepted"
  case actionDeclined = "action.declined"
  case actionDone = "action.done"
  case actionCancelled = "action.cancelled"
  case calendarImport = "calendar.import"
  case registerCycleStart = "register.cycle.start"
  case registerCycleClose = "register.cycle.close"
  case registerCheck = "register.check"
  case baselineImport = "baseline.import"
  case boardMeetingCreate = "board.meeting.create"
  case boardDecide = "board.decide"
  case boardPack = "board.pack"
  case exportCases = "export.cases"
  case exportSubjectAccess = "export.subject-access"
  case intakeFile = "intake.file"
  case intakeDeletionReturn = "intake.deletion-return"
  case intakeNewPupil = "intake.new-pupil"
  case intakeCTF = "intake.ctf"
  case auditRead = "audit.read"
  case userPasswordSet = "user.password.set"
  case userPasswordChange = "user.password.change"
  case userDeactivate = "user.deactivate"
  case userRole = "user.role"
  case signIn = "signin"
  case signInFailed = "signin.failed"
  case signInLocked = "signin.locked"
  case signOut = "signout"
  case signInSecondFactor = "signin.second-factor"
  case userSecondFactor = "user.second-factor"
  case registerBackup = "register.backup"
  case registerRestore = "register.restore"
  case auditKey = "audit.key"
  case auditWitness = "audit.witness"
  case auditRedactRequest = "audit.redact.request"
  case auditRedact = "audit.redact"
  case rowsRecorded = "audit.rowsRecorded"
  case retentionReview = "retention.review"
  case retentionHold = "retention.hold"
  case retentionRelease = "retention.release"
  case retentionEraseRequest = "retention.erase.request"
  case retentionDispose = "retention.dispose"
  case reportDfECME = "report.dfe-cme"
  case professionalAdd = "professional.add"
  case professionalEnd = "professional.end"
  case letterIssue = "letter.issue"
  case letterTemplateSet = "letter.template.set"
  case notificationReceived = "notification.received"
  case caseIllness = "case.illness"

  /// The entry that records an action moving into `state`.
  static func action(movedTo state: ActionState) -> AuditAction {
    switch state {
    case .open: .actionAdd
    case .accepted: .actionAccepted
    case .declined: .actionDeclined
    case .done: .actionDone
    case .cancelled: .actionCancelled
    }
  }
}
