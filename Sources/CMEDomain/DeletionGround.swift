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

  /// 2024 ground I or 2006 ground (h): 20 school days' continuous absence.
  public var isTwentyDaysAbsence: Bool {
    (regime == .r2024 && letter == "I") || (regime == .r2006 && letter == "h")
  }

  /// 2024 ground H or 2006 ground (f): not returned after a leave of absence.
  public var isLeaveNotReturned: Bool {
    (regime == .r2024 && letter == "H") || (regime == .r2006 && letter == "f")
  }

  /// 2024 ground O or 2006 ground (l): permanently excluded.
  public var isPermanentExclusion: Bool {
    (regime == .r2024 && letter == "O") || (regime == .r2006 && letter == "l")
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

  /// The day the 2024 regulations came into force: a deletion on or after
  /// it is on a 2024 ground, one before it on a 2006 ground.
  public static let regulations2024From = LocalDate(year: 2024, month: 8, day: 19)!

  /// The regulations a deletion on `date` was made under.
  public static func regime(deletedOn date: LocalDate) -> Regime {
    date >= regulations2024From ? .r2024 : .r2006
  }

  /// A ground as written, before the deletion date says which regulations
  /// it is under: a letter in either case (`i`, `I`), or a letter with its
  /// regulations (`2024:I`, `2006:h`).
  public struct Written: Hashable, Sendable {
    /// The regulations named, if any.
    public var regime: Regime?
    /// The letter, as written.
    public var letter: String

    public init(regime: Regime? = nil, letter: String) {
      self.regime = regime
      self.letter = letter
    }

    /// The ground under the regulations in force on the deletion date. A
    /// letter is read without regard to case; regulations named that do
    /// not fit the date are refused, with the letter that does.
    public func ground(deletedOn date: LocalDate, field: String = "ground") throws(InvalidInput) -> DeletionGround {
      let inForce = DeletionGround.regime(deletedOn: date)
      let normal = inForce == .r2024 ? letter.uppercased() : letter.lowercased()
      if let named = regime, named != inForce {
        let equivalent = DeletionGround.equivalent(of: letter, from: named, to: inForce)
        let written = "\(named.rawValue):\(letter)"
        let sameLetter = (inForce == .r2024 ? DeletionGround.grounds2024 : DeletionGround.grounds2006)[normal]
        var fix =
          equivalent.map { e in
            "The \(inForce.rawValue) ground for \(named.rawValue) ground \(letter) is \(e) (\(DeletionGround.label(of: e, in: inForce))); write \(e)"
          }
          ?? "\(named.rawValue) ground \(letter) has no \(inForce.rawValue) equivalent; give the \(inForce.rawValue) ground the school used"
        if let sameLetter, normal != equivalent {
          fix += ", or \(normal) if the school meant \(sameLetter)"
        }
        throw InvalidInput(
          field: field,
          problem:
            "'\(written)' names the \(named.rawValue) regulations, but a deletion on \(date) is under the \(inForce.rawValue) regulations (in force \(inForce == .r2024 ? "from" : "until the day before") \(DeletionGround.regulations2024From))",
          fix: fix)
      }
      return try DeletionGround(regime: inForce, letter: normal, field: field)
    }
  }

  /// Reads a ground as written: a letter (either case), or `2024:I` / `2006:h`.
  /// Which regulations a bare letter is under is for the deletion date to
  /// say (``Written/ground(deletedOn:field:)``).
  public static func written(_ text: String, field: String) throws(InvalidInput) -> Written {
    let t = text.trimmingCharacters(in: .whitespaces)
    let parts = t.split(separator: ":", maxSplits: 1).map(String.init)
    var regime: Regime?
    var letter = t
    if parts.count == 2 {
      guard let r = Regime(rawValue: parts[0]) else {
        throw InvalidInput(
          field: field, problem: "'\(parts[0])' is not a regulations year",
          fix: "Write 2024:LETTER (grounds A–O) or 2006:letter (grounds a–m)")
      }
      regime = r
      letter = parts[1]
    }
    guard letter.count == 1, let c = letter.first, c.isLetter, c.isASCII else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a deletion ground",
        fix: "Write the letter of the ground (2024: A–O, 2006: a–m), or 2024:I / 2006:h")
    }
    if let regime {
      // A ground with its regulations names one in their list.
      _ = try DeletionGround(
        regime: regime, letter: regime == .r2024 ? letter.uppercased() : letter.lowercased(), field: field)
    }
    return Written(regime: regime, letter: letter)
  }

  /// Reads a ground as written and places it under the regulations in force
  /// on the deletion date.
  public static func parse(_ text: String, deletedOn date: LocalDate, field: String) throws(InvalidInput)
    -> DeletionGround
  {
    try written(text, field: field).ground(deletedOn: date, field: field)
  }

  /// Reads a ground as the register and the audit log keep it, with its
  /// regulations: `2024:I`, `2006:h`.
  public static func stored(_ text: String, field: String = "ground") throws(InvalidInput) -> DeletionGround {
    let w = try written(text, field: field)
    guard let regime = w.regime else {
      throw InvalidInput(
        field: field, problem: "'\(text)' does not name its regulations", fix: "Write 2024:I or 2006:h")
    }
    return try DeletionGround(
      regime: regime, letter: regime == .r2024 ? w.letter.uppercased() : w.letter.lowercased(), field: field)
  }

  /// The ground of the other regulations that covers the same case, where
  /// there is one (2006 (g), medically unfit, has none in 2024).
  public static func equivalent(of letter: String, from: Regime, to: Regime) -> String? {
    guard from != to else { return to == .r2024 ? letter.uppercased() : letter.lowercased() }
    return from == .r2006 ? grounds2006To2024[letter.lowercased()] : grounds2024To2006[letter.uppercased()]
  }

  static func label(of letter: String, in regime: Regime) -> String {
    (regime == .r2024 ? grounds2024 : grounds2006)[letter] ?? letter
  }

  /// Each 2006 ground and the 2024 ground that replaced it.
  public static let grounds2006To2024: [String: String] = [
    "a": "E", "b": "A", "c": "C", "d": "F", "e": "G", "f": "H", "h": "I", "i": "J", "j": "K", "k": "L", "l": "O",
    "m": "B",
  ]

  /// Each 2024 ground and the 2006 ground it replaced (M and N had none).
  public static let grounds2024To2006: [String: String] = [
    "A": "b", "B": "m", "C": "c", "D": "a", "E": "a", "F": "d", "G": "e", "H": "f", "I": "h", "J": "i", "K": "j",
    "L": "k", "O": "l",
  ]

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
