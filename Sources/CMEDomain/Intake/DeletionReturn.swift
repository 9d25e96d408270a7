import Foundation

/// One row of a school's deletion return: the content regulation 13(4) of
/// the 2024 regulations asks for when a pupil is deleted from the roll.
public struct DeletionReturn: Sendable, Hashable {
  public var line: Int
  public var upn: UPN?
  public var surname: String
  public var forename: String
  public var dateOfBirth: LocalDate
  public var sex: Sex
  public var address: String?
  public var postcode: String?
  public var school: SchoolRef
  public var deletionDate: LocalDate
  public var ground: DeletionGround
  public var lastAttended: LocalDate?
  public var parentName: String
  public var parentAddress: String?
  public var emergencyPhone: String
  public var destinationAddress: String?
  public var destinationSchool: String?
  public var destinationStart: LocalDate?

  /// The row's content, for recognising the same row in a later file.
  public var canonical: String {
    [
      upn?.value, surname.lowercased(), forename.lowercased(), dateOfBirth.description, school.storageKey,
      deletionDate.description, ground.description,
    ]
    .map { $0 ?? "" }.joined(separator: "|")
  }

  /// The child the row describes, for a pupil not on the register yet: the
  /// names, date of birth, sex and UPN, the deleting school as the last
  /// school, the address, and the parent as a carer with the emergency number.
  public var child: Child {
    var c = Child(legalSurname: surname, legalForename: forename, dateOfBirth: dateOfBirth)
    c.sex = sex
    c.upn = upn
    c.lastSchool = school
    if let address { c.addresses = [Address(text: address, postcode: postcode)] }
    c.carers = [Carer(name: parentName, relationship: "parent", phone: emergencyPhone)]
    return c
  }

  /// Destination school and start date both given.
  public var destinationConfirmed: Bool { optionalText(destinationSchool) != nil && destinationStart != nil }
}

/// The deletion-return file: its columns, and reading it.
public enum DeletionReturnFile {
  /// The columns, in any order; names are matched without regard to case,
  /// spaces or underscores. Those marked required must be present and filled.
  public static let columns: [(name: String, required: Bool)] = [
    ("upn", false), ("surname", true), ("forename", true), ("date_of_birth", true), ("sex", false), ("address", false),
    ("postcode", false), ("school", true), ("deletion_date", true), ("ground", true), ("last_attended", false),
    ("parent_name", true), ("parent_address", false), ("emergency_phone", true), ("destination_address", false),
    ("destination_school", false), ("destination_start_date", false),
  ]

  /// Reads and checks the whole file; every problem is listed as
  /// `FILE:LINE:COLUMN: message` and nothing is returned if there is any.
  public static func read(csv data: [UInt8], file: String, today: LocalDate) throws(FileProblems) -> [DeletionReturn] {
    var collected = ImportRows.Collected<DeletionReturn>()
    try scan(csv: data, file: file, today: today, into: &collected)
    return try collected.result()
  }

  /// Checks the whole file as ``read(csv:file:today:)`` does, keeping no
  /// row: the number of rows, or every problem. The first of an import's
  /// two passes, so that a file of a million rows is never held as rows.
  public static func check(csv data: [UInt8], file: String, today: LocalDate) throws(FileProblems) -> Int {
    var collected = ImportRows.Collected<DeletionReturn>(keepingRows: false)
    try scan(csv: data, file: file, today: today, into: &collected)
    return try collected.counted()
  }

  /// Hands each row of a file that ``check(csv:file:today:)`` passed to
  /// `body`, in file order, one at a time: the import's second pass. An
  /// error `body` throws stops the pass and is thrown; so is a problem in
  /// the file (which a checked file does not have).
  public static func forEach(
    csv data: [UInt8], file: String, today: LocalDate, _ body: (DeletionReturn) throws -> Void
  ) throws {
    try withoutActuallyEscaping(body) { body in
      var collected = ImportRows.Collected<DeletionReturn>(keepingRows: false)
      var failure: (any Error)?
      collected.each = { row in
        guard failure == nil else { return }
        do { try body(row) } catch { failure = error }
      }
      try scan(csv: data, file: file, today: today, into: &collected)
      if let failure { throw failure }
      _ = try collected.counted()
    }
  }

  private static func scan(
    csv data: [UInt8], file: String, today: LocalDate, into collected: inout ImportRows.Collected<DeletionReturn>
  ) throws(FileProblems) {
    try ImportRows.read(csv: data, file: file, columns: columns) { record, index in
      var r = ImportRows.Row(file: file, record: record, index: index)
      let upn = r.parse("upn", required: false) { t, f throws(InvalidInput) in try UPN.parse(t, field: f) }
      let surname = r.need("surname")
      let forename = r.need("forename")
      let dob = r.parse("date_of_birth", required: true) { t, f throws(InvalidInput) in try LocalDate.parse(t, field: f)
      }
      let sex = r.parse("sex", required: false) { t, f throws(InvalidInput) in try Sex.parse(t, field: f) } ?? .unknown
      let postcode = r.parse("postcode", required: false) { t, f throws(InvalidInput) in
        try Address.parsePostcode(t, field: f)
      }
      let school = r.parse("school", required: true) { t, f throws(InvalidInput) in try SchoolRef.parse(t, field: f) }
      let deletion = r.parse("deletion_date", required: true) { t, f throws(InvalidInput) in
        try LocalDate.parse(t, field: f)
      }
      let written = r.parse("ground", required: true) { t, f throws(InvalidInput) in
        try DeletionGround.written(t, field: f)
      }
      // The deletion date says which regulations the ground is under.
      var ground: DeletionGround?
      if let written, let deletion {
        do throws(InvalidInput) {
          ground = try written.ground(deletedOn: deletion, field: "ground")
        } catch {
          r.problem("ground", error.fix.map { "\(error.problem). \($0)" } ?? error.problem)
        }
      }
      let last = r.parse("last_attended", required: false) { t, f throws(InvalidInput) in
        try LocalDate.parse(t, field: f)
      }
      let parent = r.need("parent_name")
      let phone = r.parse("emergency_phone", required: true) { t, f throws(InvalidInput) in
        try Carer.parsePhone(t, field: f)
      }
      let start = r.parse("destination_start_date", required: false) { t, f throws(InvalidInput) in
        try LocalDate.parse(t, field: f)
      }
      if let deletion, deletion > today {
        r.problem("deletion_date", "\(deletion) is in the future; a school cannot delete a pupil in advance")
      }
      if let deletion, let last, last > deletion {
        r.problem("last_attended", "\(last) is after the deletion date \(deletion)")
      }
      if let dob, let deletion, dob >= deletion { r.problem("date_of_birth", "\(dob) is not before the deletion date") }
      guard r.problems.isEmpty, let surname, let forename, let dob, let school, let deletion, let ground, let parent,
        let phone
      else {
        collected.problems.append(contentsOf: r.problems)
        return
      }
      let row = DeletionReturn(
        line: record.line, upn: upn, surname: surname, forename: forename, dateOfBirth: dob, sex: sex,
        address: r.value("address"),
        postcode: postcode, school: school, deletionDate: deletion, ground: ground, lastAttended: last,
        parentName: parent,
        parentAddress: r.value("parent_address"), emergencyPhone: phone,
        destinationAddress: r.value("destination_address"),
        destinationSchool: r.value("destination_school"), destinationStart: start)
      collected.keep(
        row, key: row.canonical, line: record.line, file: file, sameness: "pupil, school, date and ground")
    }
  }
}

/// What a deletion ground means for the register.
public enum GroundAction: Hashable, Sendable {
  /// The destination is known (or the ground needs no CME follow-up): logged only.
  case logOnly(String)
  /// Logged and passed to the elective home education team.
  case eheTeam
  /// A CME case is opened with this reason.
  case openCase(CaseReason)

  /// The table: what each ground of either regime leads to for a row.
  public static func decide(_ r: DeletionReturn) -> GroundAction {
    let g = r.ground
    let letter =
      g.regime == .r2024
      ? g.letter
      : [
        "a": "E", "b": "A", "c": "C", "d": "F", "e": "G", "f": "H", "g": "L", "h": "I", "i": "J", "j": "K", "k": "L",
        "l": "O", "m": "B",
      ][g.letter] ?? "G"
    switch letter {
    case "A":
      return r.destinationConfirmed || optionalText(r.destinationSchool) != nil
        ? .logOnly("registered at another school") : .openCase(.whereaboutsUnknown)
    case "B", "C", "D", "E": return .logOnly("destination arranged under the ground")
    case "F": return .eheTeam
    case "G", "M", "N":
      return r.destinationConfirmed
        ? .logOnly("destination school and start date given") : .openCase(.whereaboutsUnknown)
    case "H", "I": return .openCase(.whereaboutsUnknown)
    case "J": return .logOnly("detained under a sentence; youth justice to confirm education")
    case "K": return .logOnly("pupil died")
    case "L": return .logOnly("ceasing compulsory school age")
    case "O": return .openCase(.permExcludedNoProvision)
    default: return .openCase(.notKnown)
    }
  }
}

/// Signs that a deletion may be off-rolling: a ground used without its conditions.
public func offRollingFlags(_ r: DeletionReturn, calendar: SchoolCalendar, groundISchoolDays: Int = 20) -> [String] {
  var flags: [String] = []
  let g = r.ground
  if g.isTwentyDaysAbsence {
    if let last = r.lastAttended {
      let absent = calendar.schoolDays(after: last, through: r.deletionDate)
      if absent < groundISchoolDays {
        flags.append(
          "ground \(g.letter) with only \(absent) school days of absence before deletion (needs \(groundISchoolDays))")
      }
    } else {
      flags.append(
        "ground \(g.letter) without a last day of attendance: the \(groundISchoolDays)-school-day condition cannot be checked"
      )
    }
  }
  if g.requiresJointEnquiries {
    flags.append("ground \(g.letter) needs joint school–LA enquiries before deletion: check they were made")
  }
  if (g.regime == .r2024 && g.letter == "A") || (g.regime == .r2006 && g.letter == "b"),
    optionalText(r.destinationSchool) == nil
  {
    flags.append("ground \(g.letter) (registered elsewhere) without the destination school")
  }
  return flags
}

/// Comparing names as people write them: case, accents, hyphens, apostrophes and spaces do not matter.
public enum NameMatch {
  /// A name reduced for comparison: letters only, without case, accents or
  /// width ("O'Brien-Smith" and "obrien smith" give the same key).
  public static func key(_ s: String) -> String {
    // Most names are ASCII: keep the letters, lower-cased, without Foundation.
    var ascii: [UInt8] = []
    ascii.reserveCapacity(s.utf8.count)
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"): ascii.append(b)
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): ascii.append(b + 32)
      case 0x80...: return folded(s)
      default: continue
      }
    }
    return String(decoding: ascii, as: UTF8.self)
  }

  private static let britishEnglish = Locale(identifier: "en_GB")

  private static func folded(_ s: String) -> String {
    s.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: britishEnglish)
      .filter { $0.isLetter }
  }

  /// Whether a return's names fit a child's: legal or preferred names, former
  /// names, or forename and surname swapped.
  public static func fits(forename: String, surname: String, child: Child) -> Bool {
    fits(forenameKey: key(forename), surnameKey: key(surname), names: keys(of: child))
  }

  /// Whether name keys fit any of a child's names (from ``keys(of:)``), either way round.
  public static func fits(forenameKey f: String, surnameKey s: String, names: [(forename: String, surname: String)])
    -> Bool
  {
    names.contains { ($0.forename == f && $0.surname == s) || ($0.forename == s && $0.surname == f) }
  }

  /// The names a child may be known by, as keys: legal, preferred, and each
  /// former name (its first word as the forename). Bulk matching computes
  /// these once per child.
  public static func keys(of child: Child) -> [(forename: String, surname: String)] {
    var names = [
      (child.legalForename, child.legalSurname),
      (child.preferredForename ?? child.legalForename, child.preferredSurname ?? child.legalSurname),
    ]
    for former in child.formerNames {
      let parts = former.split(separator: " ")
      if parts.count >= 2 { names.append((String(parts[0]), parts.dropFirst().joined(separator: " "))) }
    }
    return names.map { (key($0.0), key($0.1)) }
  }
}
