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
  /// On roll, on a part-time timetable (the school records code C2 for the
  /// rest of the week): the hours a week are kept with the case.
  case partTimeTimetable = "part-time-timetable"
  /// On roll, sent home or kept out without a formal suspension or exclusion.
  case informalExclusion = "informal-exclusion"
  /// A looked-after child on roll (or due to be) with no suitable place for
  /// their needs; the virtual school is usually the source.
  case lookedAfterNoSuitablePlace = "lac-no-suitable-place"

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
    case .partTimeTimetable: "On roll, part-time timetable"
    case .informalExclusion: "On roll, informally excluded"
    case .lookedAfterNoSuitablePlace: "Looked after, no suitable place"
    }
  }

  /// Which part of the register the reason belongs to.
  public var scope: RegisterScope {
    switch self {
    case .partTimeTimetable, .informalExclusion, .lookedAfterNoSuitablePlace: .onRollNotFullTime
    default: .missingEducation
    }
  }
}

/// The two parts of the register. The statutory CME definition covers
/// children not on a school's roll and not otherwise receiving suitable
/// education; authorities also track children on roll who are not receiving
/// their full-time entitlement (part-time timetables, informal exclusions,
/// looked-after children without a suitable place). Only the first part is
/// in the DfE's collection of children missing education.
public enum RegisterScope: String, Sendable, Codable, CaseIterable {
  case missingEducation = "missing-education"
  case onRollNotFullTime = "on-roll-not-full-time"

  public var label: String {
    switch self {
    case .missingEducation: "Missing education"
    case .onRollNotFullTime: "On roll, not in full-time education"
    }
  }
}

/// A part-time timetable's hours a week, as written (e.g. 12.5). A full
/// week in a mainstream school is 32.5 hours, so a part-time timetable has
/// fewer.
public enum WeeklyHours {
  public static let fullWeek = 32.5

  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Double {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    // Digits and a point only: Double() would also read 1e1, 0x1p3 and nan.
    guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let hours = Double(trimmed) else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a number of hours", fix: "Write the hours a week, e.g. 12.5")
    }
    guard hours > 0, hours < fullWeek else {
      throw InvalidInput(
        field: field, problem: "\(trimmed) hours a week is not a part-time timetable",
        fix: "Give more than 0 and fewer than \(fullWeek) hours a week (a full mainstream week)")
    }
    // Kept to the quarter hour; a value that rounds out of range is refused as typed.
    let rounded = (hours * 4).rounded() / 4
    guard rounded > 0, rounded < fullWeek else {
      throw InvalidInput(
        field: field, problem: "\(trimmed) hours a week rounds to \(rounded) (hours are kept to the quarter hour)",
        fix: "Give more than 0 and fewer than \(fullWeek) hours a week, to the quarter hour")
    }
    return rounded
  }

  /// Hours as written back: 12.5, 10 (no trailing zero).
  public static func text(_ hours: Double) -> String {
    hours == hours.rounded() ? String(Int(hours)) : String(hours)
  }

  public static func validate(_ hours: Double, field: String) throws(InvalidInput) {
    guard hours > 0, hours < fullWeek else {
      throw InvalidInput(
        field: field, problem: "\(hours) hours a week is not a part-time timetable",
        fix: "Give more than 0 and fewer than \(fullWeek) hours a week (a full mainstream week)")
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
  case virtualSchool = "virtual-school"

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
    case .virtualSchool: "Virtual school"
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
  /// A child on roll back on a full-time timetable (or in full-time
  /// provision): the end of a case opened on roll.
  case fullTimeRestored = "full-time-restored"

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
    case .fullTimeRestored: "Full-time education restored"
    }
  }

  /// Whether a case of `scope` can end this way: full time restored only
  /// for a child on roll; untraceable or moved abroad unconfirmed only for a
  /// child missing education.
  public func fits(_ scope: RegisterScope) -> Bool {
    switch self {
    case .fullTimeRestored: scope == .onRollNotFullTime
    case .lostPupilUntraceable, .movedAbroadUnconfirmed: scope == .missingEducation
    default: true
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
    case .fullTimeRestored: "the school's confirmation of the full-time timetable and the day it started"
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
