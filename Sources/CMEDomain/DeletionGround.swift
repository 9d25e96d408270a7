import Foundation

/// The ground on which a school deleted a pupil from its admission register.
///
/// Two regimes: the School Attendance (Pupil Registration) (England)
/// Regulations 2024, reg 9(1) grounds A–O (from 19 August 2024), and the
/// Education (Pupil Registration) (England) Regulations 2006, reg 8(1)
/// grounds a–m (older data). The regime is always stored with the letter.
public struct DeletionGround: Hashable, Sendable, Codable, CustomStringConvertible {
  public enum Regime: String, Sendable, Codable, CaseIterable {
    case r2006 = "2006"
    case r2024 = "2024"
  }

  public let regime: Regime
  /// Upper case for 2024 (`I`), lower case for 2006 (`h`).
  public let letter: String

  public var description: String { "\(regime.rawValue):\(letter)" }

  public var label: String {
    (regime == .r2024 ? DeletionGround.grounds2024 : DeletionGround.grounds2006)[letter] ?? letter
  }

  /// Where the regulations require the school and the LA to have failed,
  /// jointly, to find the child after reasonable enquiries: 2024 H and I,
  /// 2006 (f) and (h).
  public var requiresJointEnquiries: Bool {
    switch regime {
    case .r2024: letter == "H" || letter == "I"
    case .r2006: letter == "f" || letter == "h"
    }
  }

  /// Grounds whose deletion leaves the child's whereabouts or education in
  /// doubt (2024 G, H, I, O; 2006 e, f, h, l).
  public var isHighRisk: Bool {
    switch regime {
    case .r2024: ["G", "H", "I", "O"].contains(letter)
    case .r2006: ["e", "f", "h", "l"].contains(letter)
    }
  }

  public init(regime: Regime, letter: String, field: String = "ground") throws(InvalidInput) {
    let table = regime == .r2024 ? DeletionGround.grounds2024 : DeletionGround.grounds2006
    guard table[letter] != nil else {
      let letters = table.keys.sorted().joined(separator: ", ")
      throw InvalidInput(
        field: field,
        problem: "'\(letter)' is not a \(regime.rawValue) deletion ground",
        fix: "\(regime.rawValue) grounds are \(letters); deleting on any other ground may be off-rolling")
    }
    self.regime = regime
    self.letter = letter
  }

  /// Parses `2024:I`, `2006:h`, or a bare letter: upper case is a 2024
  /// ground, lower case a 2006 ground.
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> DeletionGround {
    let t = text.trimmingCharacters(in: .whitespaces)
    let parts = t.split(separator: ":", maxSplits: 1).map(String.init)
    if parts.count == 2 {
      guard let regime = Regime(rawValue: parts[0]) else {
        throw InvalidInput(
          field: field, problem: "'\(parts[0])' is not a regulations year",
          fix: "Write 2024:LETTER (grounds A–O) or 2006:letter (grounds a–m)")
      }
      let letter = regime == .r2024 ? parts[1].uppercased() : parts[1].lowercased()
      return try DeletionGround(regime: regime, letter: letter, field: field)
    }
    guard t.count == 1, let c = t.first, c.isLetter, c.isASCII else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a deletion ground",
        fix: "Write a 2024 ground A–O, a 2006 ground a–m, or 2024:I / 2006:h")
    }
    return try DeletionGround(regime: c.isUppercase ? .r2024 : .r2006, letter: t, field: field)
  }

  static let grounds2024: [String: String] = [
    "A": "registered at another school",
    "B": "nursery pupil not continuing into reception",
    "C": "dual registration ended",
    "D": "school attendance order amended to name another school",
    "E": "school attendance order revoked: suitable education otherwise",
    "F": "parent gave written notice of home education",
    "G": "ceased to attend; no longer lives within reasonable distance",
    "H": "not returned within 10 school days of leave of absence; whereabouts unknown after joint enquiries",
    "I": "absent 20+ school days (codes G, N, O); whereabouts unknown after joint enquiries",
    "J": "detained under a sentence of detention",
    "K": "died",
    "L": "ceasing compulsory school age; not continuing into sixth form",
    "M": "boarder whose boarding fees are unpaid",
    "N": "ceased to be a pupil at an independent or non-maintained special school",
    "O": "permanently excluded",
  ]

  static let grounds2006: [String: String] = [
    "a": "school attendance order changed or revoked",
    "b": "registered at another school",
    "c": "dual registration ended",
    "d": "written notice of education otherwise than at school",
    "e": "ceased to attend; no longer lives within reasonable distance",
    "f": "not returned from holiday within 10 school days; joint enquiries failed",
    "g": "certified medically unfit to attend",
    "h": "absent 20+ school days unauthorised; joint enquiries failed",
    "i": "detained in custody for 4 months or more",
    "j": "died",
    "k": "ceasing compulsory school age",
    "l": "permanently excluded",
    "m": "nursery pupil not transferring to reception",
  ]
}
