import Foundation

/// Why a CME case was opened.
public enum CaseReason: String, ClosedList {
  case schoolApplicationAwaitingOutcome = "school-application-awaiting-outcome"
  case believedMovedOutOfCountry = "believed-moved-out-of-country"
  case placeOfferedNotStarted = "place-offered-not-started"
  case eheUnsuitable = "ehe-unsuitable"
  case whereaboutsUnknown = "whereabouts-unknown"
  case newArrivalNotApplied = "new-arrival-not-applied"
  case permExcludedNoProvision = "perm-excluded-no-provision"
  case parentRefusesToApply = "parent-refuses-to-apply"
  case ehcpNoPlacementNamed = "ehcp-no-placement-named"
  case failedToStartReceptionOrTransfer = "failed-to-start-reception-or-transfer"
  case other
  case notKnown = "not-known"

  public static let noun = "case reason"

  public var label: String {
    switch self {
    case .schoolApplicationAwaitingOutcome: "School application awaiting outcome"
    case .believedMovedOutOfCountry: "Believed to have moved out of the country"
    case .placeOfferedNotStarted: "Place offered, not started"
    case .eheUnsuitable: "Home education assessed as unsuitable"
    case .whereaboutsUnknown: "Whereabouts unknown"
    case .newArrivalNotApplied: "New arrival, no application made"
    case .permExcludedNoProvision: "Permanently excluded, no provision"
    case .parentRefusesToApply: "Parent refuses to apply for a place"
    case .ehcpNoPlacementNamed: "EHC plan names no placement"
    case .failedToStartReceptionOrTransfer: "Did not start reception or transfer"
    case .other: "Other"
    case .notKnown: "Not known"
    }
  }
}

/// Who referred the child to the CME service.
public enum ReferralSource: String, ClosedList {
  case schoolDeletionReturn = "school-deletion-return"
  case schoolReferral = "school-referral"
  case admissions
  case otherLA = "other-la"
  case health
  case police
  case socialCare = "social-care"
  case housing
  case `public`
  case eheTeam = "ehe-team"
  case other

  public static let noun = "referral source"

  public var label: String {
    switch self {
    case .schoolDeletionReturn: "School deletion return"
    case .schoolReferral: "School referral"
    case .admissions: "Admissions"
    case .otherLA: "Another local authority"
    case .health: "Health"
    case .police: "Police"
    case .socialCare: "Children's social care"
    case .housing: "Housing"
    case .public: "Member of the public"
    case .eheTeam: "Elective home education team"
    case .other: "Other"
    }
  }
}

/// How a CME case ended.
public enum ClosureOutcome: String, ClosedList {
  case onRollLASchool = "on-roll-la-school"
  case onRollOtherLASchool = "on-roll-other-la-school"
  case onRollIndependent = "on-roll-independent"
  case transferredToOtherLACME = "transferred-to-other-la-cme"
  case eheSuitable = "ehe-suitable"
  case movedAbroadConfirmed = "moved-abroad-confirmed"
  case movedAbroadUnconfirmed = "moved-abroad-unconfirmed"
  case apOrEOTASPlaced = "ap-or-eotas-placed"
  case lostPupilUntraceable = "lost-pupil-untraceable"
  case ceasedCompulsorySchoolAge = "ceased-csa"
  case deceased
  case custody
  case duplicateOrError = "duplicate-or-error"

  public static let noun = "closure outcome"

  public var label: String {
    switch self {
    case .onRollLASchool: "On roll at a school in this LA"
    case .onRollOtherLASchool: "On roll at a school in another LA"
    case .onRollIndependent: "On roll at an independent school"
    case .transferredToOtherLACME: "Transferred to another LA's CME service"
    case .eheSuitable: "Home education, suitable"
    case .movedAbroadConfirmed: "Moved abroad, confirmed"
    case .movedAbroadUnconfirmed: "Moved abroad, unconfirmed"
    case .apOrEOTASPlaced: "Alternative provision or EOTAS placed"
    case .lostPupilUntraceable: "Lost pupil, untraceable"
    case .ceasedCompulsorySchoolAge: "Ceased compulsory school age"
    case .deceased: "Deceased"
    case .custody: "In custody"
    case .duplicateOrError: "Duplicate or recorded in error"
    }
  }

  /// The evidence a caseworker is expected to give, shown when it is missing.
  public var evidenceExpected: String {
    switch self {
    case .onRollLASchool, .onRollOtherLASchool, .onRollIndependent:
      "the receiving school's confirmation and the start date"
    case .transferredToOtherLACME: "the other LA's confirmation that it accepts the referral"
    case .eheSuitable: "the written home-education notice and the EHE team's assessment"
    case .movedAbroadConfirmed:
      "the new address, the new school, and the receiving school's confirmation that the child attends"
    case .movedAbroadUnconfirmed: "the enquiries made and the CTF sent to XXX"
    case .apOrEOTASPlaced: "the confirmed placement start"
    case .lostPupilUntraceable: "that every enquiry is exhausted and the lost-pupil CTF was uploaded"
    case .ceasedCompulsorySchoolAge, .deceased, .custody: "the date and its source"
    case .duplicateOrError: "the reference of the surviving record"
    }
  }
}

/// The state of a case. A closed case may be reopened; its history is kept.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
  case open, closed

  /// Reads `open` or `closed`, in any case.
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> CaseStatus {
    guard let s = CaseStatus(rawValue: text.lowercased()) else {
      throw InvalidInput(field: field, problem: "'\(text)' is not a case status", fix: "Use open or closed")
    }
    return s
  }
}

extension CaseReason {
  /// Whether the child's whereabouts are taken as known when a case opens
  /// for this reason and nobody says: unknown for a missing child, one
  /// believed abroad, or when the reason itself is not known.
  public var whereaboutsKnownByDefault: Bool {
    ![.whereaboutsUnknown, .believedMovedOutOfCountry, .notKnown].contains(self)
  }
}

/// Whether a child's whereabouts are known, written `known` or `unknown`.
public enum Whereabouts {
  /// Reads `known` (true) or `unknown` (false), in any case.
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Bool {
    switch text.lowercased() {
    case "known": return true
    case "unknown": return false
    default:
      throw InvalidInput(field: field, problem: "'\(text)' is not known or unknown", fix: "Write known or unknown")
    }
  }
}
