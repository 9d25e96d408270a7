import Foundation

/// What the register holds about a case that its assessment looks at. The
/// store gathers it — for one case, or for many cases at once with bulk
/// queries — and ``assessCase(_:today:calendar:settings:)`` judges it.
public struct CaseFacts: Sendable {
  public var caseRecord: CMECase
  /// The child, as far as the rating looks at it: the safeguarding markers,
  /// SEN provision, date of birth and ethnicity.
  public var child: Child
  public var casework: Casework
  /// The calendar of the child's last school, when it keeps its own (an
  /// academy); nil for the authority's, which the assessment is given.
  public var calendar: SchoolCalendar?

  /// What has been recorded on a case since it opened.
  public struct Casework: Sendable, Equatable {
    /// The day of the first home visit.
    public var firstHomeVisit: LocalDate?
    /// The latest visit or contact of any kind (by date, then time of day).
    public var lastContact: Visit?
    /// The latest day the child was seen.
    public var lastSeen: LocalDate?
    /// The due dates of the actions still open or accepted.
    public var liveActionsDue: [LocalDate]
    /// The enquiries done, and those marked not applicable; the others are outstanding.
    public var enquiriesDone: Set<EnquiryItem>
    public var enquiriesNotApplicable: Set<EnquiryItem>
    /// The first day of illness absence, which starts the sickness clock.
    public var illSince: LocalDate?
    /// The day of the referral to Fair Access, which starts its clock.
    public var fairAccessReferredOn: LocalDate?
    /// The spells of illness absence recorded (`case illness`).
    public var illnessSpells: [IllnessSpell] = []
    /// The day a leave of absence ended, which starts ground H's 10 school days.
    public var leaveEndedOn: LocalDate?
    /// The day the CTF was sent on (to the next school, or to the lost-pupil
    /// database as XXX): the `ctf-xxx` enquiry done.
    public var ctfSentOn: LocalDate?

    /// With no arguments: nothing recorded, as for a case that has just opened.
    public init(
      firstHomeVisit: LocalDate? = nil, lastContact: Visit? = nil, lastSeen: LocalDate? = nil,
      liveActionsDue: [LocalDate] = [], enquiriesDone: Set<EnquiryItem> = [],
      enquiriesNotApplicable: Set<EnquiryItem> = [], illSince: LocalDate? = nil, fairAccessReferredOn: LocalDate? = nil
    ) {
      self.firstHomeVisit = firstHomeVisit
      self.lastContact = lastContact
      self.lastSeen = lastSeen
      self.liveActionsDue = liveActionsDue
      self.enquiriesDone = enquiriesDone
      self.enquiriesNotApplicable = enquiriesNotApplicable
      self.illSince = illSince
      self.fairAccessReferredOn = fairAccessReferredOn
    }
  }

  public init(caseRecord: CMECase, child: Child, casework: Casework = Casework()) {
    self.caseRecord = caseRecord
    self.child = child
    self.casework = casework
  }
}

/// Everything the casework says about a case on `today`: its statutory
/// clocks, the school days missed, the actions and enquiries, and the RAG
/// suggestion, which takes the clocks and the casework into account.
///
/// A closed case is assessed as it stood on its closing day. This is the
/// one assessment of a case: `case show`, the register check, a new case's
/// first rating, the board's agenda and its pack all use it.
public func assessCase(
  _ f: CaseFacts, today: LocalDate, calendar: SchoolCalendar, settings: LocalSettings = LocalSettings()
) -> CaseAssessment {
  let c = f.caseRecord
  let w = f.casework
  let calendar = f.calendar ?? calendar
  let end = min(today, c.closedOn ?? today)
  var clockFacts = ClockFacts(
    openedOn: c.openedOn, closedOn: c.closedOn, outcome: c.outcome, lastAttended: c.lastAttended,
    ground: c.deletionGround, firstHomeVisit: w.firstHomeVisit, illSince: w.illSince,
    fairAccessReferredOn: w.fairAccessReferredOn, referralReceivedOn: c.referralReceivedOn,
    referredByDeletionReturn: c.referralSource == .schoolDeletionReturn, deletionDate: c.deletionDate)
  clockFacts.permanentlyExcluded = c.reason == .permExcludedNoProvision
  clockFacts.leaveEndedOn = w.leaveEndedOn
  clockFacts.illnessSpells = w.illnessSpells
  clockFacts.ctfSentOn = w.ctfSentOn
  clockFacts.whereaboutsUnknown = !c.whereaboutsKnown
  let clocks = caseClocks(clockFacts, today: today, calendar: calendar, thresholds: settings.clocks)
  let outstanding = EnquiryChecklist.outstanding(
    reason: c.reason, whereaboutsKnown: c.whereaboutsKnown, settled: w.enquiriesDone.union(w.enquiriesNotApplicable))
  let overdue = w.liveActionsDue.filter { end > $0 }
  let escalate = overdue.filter {
    CaseAction.schoolDaysOverdue(dueOn: $0, on: end, calendar: calendar) > settings.escalateActionsAfterSchoolDays
  }
  var facts = RAGFacts(child: f.child, case: c, lastContact: w.lastSeen)
  facts.casework = CaseworkFacts(
    schoolDaysNotSeen: calendar.schoolDays(after: w.lastSeen ?? c.openedOn, through: end),
    seenSinceOpening: w.lastSeen != nil, overdueActions: overdue.count, enquiriesExhausted: outstanding.isEmpty,
    clockBreaches: clocks.filter(\.isBreach).map(\.label))
  return CaseAssessment(
    suggestion: suggestRAG(facts, today: today, thresholds: settings.rag), clocks: clocks,
    schoolDaysMissing: c.lastAttended.map { calendar.schoolDays(after: $0, through: end) },
    lastContact: w.lastContact, lastSeen: w.lastSeen, openActions: w.liveActionsDue.count,
    overdueActions: overdue.count, actionsToEscalate: escalate.count, enquiriesOutstanding: outstanding,
    jointEnquiriesMissing: EnquiryChecklist.jointEnquiriesMissing(ground: c.deletionGround, done: w.enquiriesDone))
}
