/// The work a child's safeguarding position creates when they are missing
/// education, and the work a register check's outcome creates: tracked
/// actions, each with an agency, a due date and (where known) an owner.
public enum SafeguardingWork {
  /// An action to raise.
  public struct Work: Hashable, Sendable {
    public var agency: Agency
    public var description: String
    public var owner: String?
  }

  /// How a safeguarding referral's description starts (so that one already
  /// open is recognised and not raised twice).
  public static let referralPrefix = "Safeguarding referral:"

  /// The referrals a child's markers call for: children's social care (the
  /// MASH) for a child protection plan, a child in need or any recorded
  /// concern; the police for a child missing from home; the virtual school
  /// for a looked-after child; the youth justice service for a child known
  /// to it.
  public static func referrals(for child: Child) -> [Work] {
    var work: [Work] = []
    let concerns = child.concerns.subtracting([.missingFromHome]).map(\.label).sorted()
    var socialCare: [String] = []
    if child.childProtectionPlan { socialCare.append("child protection plan") }
    if child.childInNeed { socialCare.append("child in need") }
    socialCare += concerns
    if !socialCare.isEmpty {
      work.append(
        Work(
          agency: .socialCare,
          description:
            "\(referralPrefix) tell children's social care (the MASH, or the allocated social worker) that this child is missing education (\(socialCare.joined(separator: ", ")))"
        ))
    }
    if child.concerns.contains(.missingFromHome) {
      work.append(
        Work(
          agency: .police,
          description: "\(referralPrefix) report to the police that this child is missing from home and from education"
        ))
    }
    if child.lookedAfter {
      work.append(
        Work(
          agency: .virtualSchool,
          description:
            "\(referralPrefix) tell the virtual school head that this looked-after child is missing education"
            + (child.careAuthority.map { " (care authority \($0))" } ?? "")))
    }
    if child.youthJustice {
      work.append(
        Work(
          agency: .youthJustice,
          description: "\(referralPrefix) tell the youth justice service that this child is missing education"))
    }
    return work
  }

  /// The referrals not already open: an open referral to the same agency stands.
  public static func referralsToRaise(for child: Child, open: [(agency: Agency, description: String)]) -> [Work] {
    referrals(for: child).filter { needed in
      !open.contains { $0.agency == needed.agency && $0.description.hasPrefix(referralPrefix) }
    }
  }

  /// A referral is due the next school day: the same working day is the
  /// practice, and a day's grace lets it be recorded.
  public static func referralDue(today: LocalDate, calendar: SchoolCalendar) -> LocalDate {
    calendar.adding(schoolDays: 1, to: today) ?? today.adding(days: 1)
  }

  /// The action a register check's outcome creates: the lead caseworker must
  /// act on a check with no satisfactory explanation (within 5 school days);
  /// an escalation is the checking manager's to see through (the next school day).
  public static func afterCheck(
    outcome: CheckOutcome, note: String, reference: String, lead: String?, manager: String
  ) -> (work: Work, schoolDays: Int)? {
    switch outcome {
    case .explained:
      return nil
    case .actionRequired:
      return (
        Work(
          agency: .other, description: "Register check of \(reference): act on the manager's note — \(note)",
          owner: lead ?? manager), 5
      )
    case .escalated:
      return (
        Work(agency: .other, description: "Escalated at the register check of \(reference): \(note)", owner: manager),
        1
      )
    }
  }
}
