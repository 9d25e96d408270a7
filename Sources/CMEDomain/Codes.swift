import Foundation

/// Sex as the DfE census records it: `M`, `F`, or `U` (unknown, e.g. not asked).
public enum Sex: String, CaseIterable, Sendable, Codable {
  case male = "M"
  case female = "F"
  case unknown = "U"

  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Sex {
    if let s = Sex(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) { return s }
    throw InvalidInput.notInList(field: field, value: text, allowed: ["M", "F", "U"], noun: "sex code")
  }

  public var label: String {
    switch self {
    case .male: "Male"
    case .female: "Female"
    case .unknown: "Sex unknown"
    }
  }
}

/// SEN provision as the census records it.
public enum SENProvision: String, CaseIterable, Sendable, Codable {
  /// Education, health and care plan.
  case ehcPlan = "E"
  /// SEN support.
  case senSupport = "K"
  /// No special educational need.
  case none = "N"

  public static func parse(_ text: String, field: String) throws(InvalidInput) -> SENProvision {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    if let s = SENProvision(rawValue: t) { return s }
    let hint =
      ["S", "A", "P"].contains(t)
      ? "'\(t)' is a historic code no longer valid in England; use E (EHC plan), K (SEN support) or N (none)"
      : "Use E (EHC plan), K (SEN support) or N (no SEN)"
    throw InvalidInput(field: field, problem: "'\(text)' is not a SEN provision code", fix: hint)
  }

  public var label: String {
    switch self {
    case .ehcPlan: "EHC plan"
    case .senSupport: "SEN support"
    case .none: "No SEN"
    }
  }

  /// True where the child has special educational needs (E or K).
  public var hasSEN: Bool { self != .none }
}

/// A first-language code: the six main census codes, or an extended code
/// that replaces `OTH`/`OTB`.
public struct LanguageCode: Hashable, Sendable, Codable, CustomStringConvertible {
  public let code: String

  /// The main codes and their meanings.
  public static let main: [String: String] = [
    "ENG": "English", "ENB": "Believed to be English", "OTH": "Other than English",
    "OTB": "Believed to be other than English", "REF": "Refused", "NOT": "Information not obtained",
  ]

  /// The DfE's extended codes (``FirstLanguages``), each with its label.
  public static var extended: [String: String] { FirstLanguages.labels }

  public var description: String { code }
  public var label: String { Self.main[code] ?? Self.extended[code] ?? code }

  /// The language a variety belongs to: PNJ for PNJM (Panjabi (Mirpuri)).
  public var language: String { code.count == 4 ? String(code.prefix(3)) : code }

  /// True when the language is, or is believed to be, other than English.
  public var isAdditionalLanguage: Bool { !["ENG", "ENB", "REF", "NOT"].contains(code) }

  public init(checked code: String) { self.code = code }

  public static func parse(_ text: String, field: String) throws(InvalidInput) -> LanguageCode {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    guard main[t] != nil || extended[t] != nil else {
      // The ISO code of a language whose DfE code differs (RUM for Romanian)
      // is named with the DfE code meant; it is not taken silently.
      if let meant = FirstLanguages.isoToDfE[t], let label = main[meant] ?? extended[meant] {
        throw InvalidInput(
          field: field, problem: "'\(text)' is not a DfE first-language code (it is the ISO code)",
          fix: "The DfE code for \(label) is \(meant)")
      }
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a DfE first-language code",
        fix:
          "Use ENG, ENB, OTH, OTB, REF or NOT, or one of the DfE's \(extended.count) extended codes such as POL, UKR, RMN, PAT or SOM"
      )
    }
    return LanguageCode(checked: t)
  }
}

/// A safeguarding concern recorded on a child. Any of these forces a red rating.
public enum SafeguardingConcern: String, ClosedList {
  case sexualExploitation = "sexual-exploitation"
  case criminalExploitation = "criminal-exploitation"
  case trafficking
  case fgm
  case forcedMarriage = "forced-marriage"
  case radicalisation
  case missingFromHome = "missing-from-home"
  case domesticAbuse = "domestic-abuse"

  public static let noun = "safeguarding concern"
  public var label: String {
    switch self {
    case .sexualExploitation: "sexual exploitation"
    case .criminalExploitation: "criminal exploitation"
    case .trafficking: "trafficking"
    case .fgm: "FGM"
    case .forcedMarriage: "forced marriage"
    case .radicalisation: "radicalisation"
    case .missingFromHome: "missing from home"
    case .domesticAbuse: "domestic abuse"
    }
  }
}
