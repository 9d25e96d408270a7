import Foundation

/// What a caseworker gives when closing a case.
public struct ClosureEvidence: Hashable, Sendable, Codable {
  /// The evidence in words.
  public var text: String
  /// The receiving school: a URN or LA/establishment number, or a name (abroad, independent).
  public var school: String?
  /// The day the child started there.
  public var startDate: LocalDate?
  /// The child's new address.
  public var newAddress: String?
  /// Who confirmed, and how: the receiving school, the other LA, the EHE team.
  public var confirmation: String?
  /// The authority the child moved to (its DfE LA number), for a move.
  public var destinationLA: String?

  public init(
    text: String, school: String? = nil, startDate: LocalDate? = nil, newAddress: String? = nil,
    confirmation: String? = nil
  ) {
    self.text = text
    self.school = school
    self.startDate = startDate
    self.newAddress = newAddress
    self.confirmation = confirmation
  }

  /// Checks the evidence's free text against ``TextRules``: the evidence is a
  /// note; the school, the new address and the confirmation are lines.
  public func validateText() throws(InvalidInput) {
    try TextRules.check(text, field: "evidence", kind: .note)
    try TextRules.check(school, field: "school", kind: .line)
    try TextRules.check(newAddress, field: "newAddress", kind: .address)
    try TextRules.check(confirmation, field: "confirmation", kind: .line)
  }
}

/// The evidence each outcome needs, from LA practice.
public enum ClosureRules {
  /// What is missing for closing with `outcome` on `closedOn`; empty when the
  /// evidence is enough.
  public static func missing(
    outcome: ClosureOutcome, evidence e: ClosureEvidence, closedOn: LocalDate, enquiries: EnquiryChecklist
  ) -> [String] {
    var missing: [String] = []
    if optionalText(e.text) == nil { missing.append("the evidence in words") }
    func needSchool() { if optionalText(e.school) == nil { missing.append("the receiving school") } }
    func needStart() {
      if let s = e.startDate {
        if s > closedOn {
          missing.append(
            "a start date on or before the closing day (the child has not started yet: keep the case open)")
        }
      } else {
        missing.append("the confirmed start date")
      }
    }
    func needConfirmation(_ who: String) {
      if optionalText(e.confirmation) == nil { missing.append("\(who)") }
    }
    switch outcome {
    case .onRollLASchool, .onRollOtherLASchool, .onRollIndependent:
      needSchool()
      needStart()
    case .transferredToOtherLACME:
      needConfirmation("the other LA's confirmation that the child lives there and it accepts the referral")
      if e.destinationLA == nil { missing.append("the authority the child moved to (its DfE LA number)") }
    case .eheSuitable:
      needConfirmation("the EHE team's assessment that the education is suitable")
    case .movedAbroadConfirmed:
      if optionalText(e.newAddress) == nil { missing.append("the new address abroad") }
      needSchool()
      needConfirmation("the receiving school's confirmation that the child is on roll and attending")
    case .movedAbroadUnconfirmed:
      if !enquiries.state(of: .lostPupilCTF).isDone { missing.append("the CTF sent to XXX (enquiry ctf-xxx)") }
    case .apOrEOTASPlaced:
      needStart()
    case .fullTimeRestored:
      needStart()
      needConfirmation("the school's confirmation of the full-time timetable")
    case .lostPupilUntraceable:
      let open = enquiries.outstanding.filter { $0 != .lostPupilCTF }
      if !open.isEmpty {
        missing.append(
          "every applicable enquiry done or not applicable; outstanding: \(open.map(\.rawValue).joined(separator: ", "))"
        )
      }
      if !enquiries.state(of: .lostPupilCTF).isDone {
        missing.append("the lost-pupil CTF sent to XXX (enquiry ctf-xxx)")
      }
      if !enquiries.state(of: .schoolToSchool).isSettled {
        missing.append("the school-to-school / lost pupil database search (enquiry s2s-lost-pupil)")
      }
    case .ceasedCompulsorySchoolAge, .deceased, .custody, .duplicateOrError:
      break
    }
    return missing
  }

  /// Refuses an outcome that cannot end a case opened for `reason`: full
  /// time restored ends only a case of a child on roll, and a child on roll
  /// is neither untraceable nor moved abroad unconfirmed.
  public static func validateScope(_ outcome: ClosureOutcome, reason: CaseReason) throws(InvalidInput) {
    guard !outcome.fits(reason.scope) else { return }
    let fitting = ClosureOutcome.allCases.filter { $0.fits(reason.scope) }.map(\.rawValue)
    throw InvalidInput(
      field: "outcome",
      problem:
        "\(outcome.rawValue) cannot end a case opened as \(reason.rawValue) (\(reason.scope.label.lowercased()))",
      fix: "Choose one of: \(fitting.joined(separator: ", "))")
  }
}
