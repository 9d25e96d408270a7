import CMEDomain
import Foundation
import GRDB

// A case's assessment: the facts the domain's `assessCase` looks at,
// gathered for one case or, in a few bulk queries, for many.
extension Register {
  /// Everything the casework says about a case on `today`.
  static func assess(_ c: CMECase, child: Child, in db: Database, today: LocalDate) throws -> CaseAssessment {
    let casework = try Register.casework(ofCasesWhere: "c.id = ?", arguments: [c.id], in: db)
    let calendars = try Register.calendars(in: db)
    var facts = CaseFacts(caseRecord: c, child: child, casework: casework[c.id ?? 0] ?? .init())
    facts.calendar = calendars.own(for: child.lastSchool)
    return assessCase(facts, today: today, calendar: calendars.authority, settings: try Register.settings(in: db))
  }

  /// The casework of every case matching `condition` (on `cmeCase c`), as
  /// its assessment looks at it: one row a case from `caseWork`, which
  /// `schema.sql`'s triggers keep as the casework is recorded, and the latest
  /// contacts read by their ids. Cases with nothing recorded are left out.
  /// With `idList` (the cases' ids, comma-separated: what `condition`
  /// selects), the rows are looked up by those ids without reading each
  /// case's row again.
  static func casework(
    ofCasesWhere condition: String, arguments: StatementArguments, idList: String? = nil, in db: Database
  ) throws -> [Int64: CaseFacts.Casework] {
    let cases = idList ?? "SELECT c.id FROM cmeCase c WHERE \(condition)"
    let arguments = idList == nil ? arguments : []
    var casework: [Int64: CaseFacts.Casework] = [:]
    var latest: [Int64] = []
    // The checklists' lists repeat from case to case: each is read once.
    var itemSets: [String: Set<EnquiryItem>] = [:]
    func items(_ text: String?) -> Set<EnquiryItem> {
      guard let text else { return [] }
      if let known = itemSets[text] { return known }
      let set = Set(list(text).compactMap(EnquiryItem.init(rawValue:)))
      itemSets[text] = set
      return set
    }
    // Columns by position, read in place: this loop runs over every matching case.
    let statement = try db.makeStatement(
      sql: """
        SELECT caseId, firstHomeVisit, lastContactId, lastSeen, liveActionsDue, enquiriesDone, enquiriesNotApplicable,
          ctfSentOn, illnessSpells, illSince, fairAccessReferredOn, leaveEndedOn
        FROM caseWork WHERE caseId IN (\(cases))
        """)
    try statement.setArguments(arguments)
    try RawRow.each(statement) { r in
      var w = CaseFacts.Casework()
      w.firstHomeVisit = try r.date(1)
      if !r.isNull(2) { latest.append(r.int64(2)) }
      w.lastSeen = try r.date(3)
      w.liveActionsDue = try r.dates(4)
      w.enquiriesDone = items(r.string(5))
      w.enquiriesNotApplicable = items(r.string(6))
      w.ctfSentOn = try r.date(7)
      if let spells = r.bytes(8), !spells.isEmpty {
        w.illnessSpells = try spells.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
          spell in
          let days = spell.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
          guard days.count == 2 else {
            throw StoreError.unreadable(what: "illness spell", value: String(decoding: spell, as: UTF8.self))
          }
          return IllnessSpell(from: try RawRow.date(days[0]), to: try days[1].isEmpty ? nil : RawRow.date(days[1]))
        }
      }
      w.illSince = try r.date(9)
      w.fairAccessReferredOn = try r.date(10)
      w.leaveEndedOn = try r.date(11)
      casework[r.int64(0)] = w
    }
    if !latest.isEmpty {
      let n = visitColumnCount
      try RawRow.each(
        db,
        sql: """
          SELECT \(visitColumns), v.caseId, k.reference
          FROM visit v JOIN user u ON u.id = v.byUserId JOIN cmeCase k ON k.id = v.caseId
          WHERE v.id IN (\(Register.idList(latest)))
          """
      ) { r in
        casework[r.int64(n)]?.lastContact = try decodeVisit(r, reference: r.text(n + 1, "case reference"))
      }
    }
    return casework
  }

  /// The columns `caseWork` keeps, after its case's id.
  static let caseWorkColumns = [
    "firstHomeVisit", "lastContactId", "lastSeen", "liveActionsDue", "enquiriesDone", "enquiriesNotApplicable",
    "ctfSentOn", "illnessSpells", "illSince", "fairAccessReferredOn", "leaveEndedOn",
  ]

  /// Cases whose kept casework (`caseWork`) disagrees with a count of their
  /// rows (`caseWorkRecount`), in words: the first few by reference, then
  /// how many in all.
  static func caseWorkProblems(in db: Database) throws -> [String] {
    let differs = caseWorkColumns.map { "w.\($0) IS NOT r.\($0)" }.joined(separator: " OR ")
    let cases = try Row.fetchAll(
      db,
      sql: """
        SELECT c.reference, \(caseWorkColumns.map { "w.\($0) IS NOT r.\($0) AS \($0)" }.joined(separator: ", "))
        FROM caseWorkRecount r JOIN cmeCase c ON c.id = r.caseId LEFT JOIN caseWork w ON w.caseId = r.caseId
        WHERE \(differs) ORDER BY r.caseId
        """)
    var problems: [String] = cases.prefix(5).map { r in
      let columns = caseWorkColumns.filter { r[$0] as Bool }.joined(separator: ", ")
      return
        "case \(r["reference"] as String)'s kept casework disagrees with its rows (\(columns)); it was changed outside cme, or the triggers that keep it were dropped"
    }
    if cases.count > 5 { problems.append("\(cases.count - 5) more cases' kept casework disagrees with their rows") }
    let strays = try String.fetchAll(
      db, sql: "SELECT caseId FROM caseWork WHERE caseId NOT IN (SELECT id FROM cmeCase) ORDER BY caseId LIMIT 5")
    for id in strays {
      problems.append(
        "the kept casework has a row for case id \(id), which is not in the register; it was added outside cme")
    }
    return problems
  }

  /// The parts of one of `caseWork`'s comma-separated lists (none for NULL).
  private static func list(_ text: String?) -> [String] {
    guard let text, !text.isEmpty else { return [] }
    return text.split(separator: ",").map(String.init)
  }

  /// Every case matching `condition` (on `cmeCase c`) with its child and
  /// casework, for assessing many cases at once, in id order. The child is
  /// read as far as the assessment, a case's line and the board pack look at
  /// it: names, date of birth, the coded characteristics and the safeguarding
  /// markers, without name history, addresses or carers.
  static func caseFacts(
    where condition: String, arguments: StatementArguments, idList: String? = nil, in db: Database
  ) throws -> [CaseFacts] {
    let casework = try Register.casework(ofCasesWhere: condition, arguments: arguments, idList: idList, in: db)
    var concerns: [Int64: Set<SafeguardingConcern>] = [:]
    for r in try Row.fetchAll(
      db,
      sql:
        "SELECT childId, concern FROM childConcern WHERE childId IN (SELECT c.childId FROM cmeCase c WHERE \(condition))",
      arguments: arguments)
    {
      if let concern = SafeguardingConcern(rawValue: r["concern"]) {
        concerns[r["childId"], default: []].insert(concern)
      }
    }
    let schoolCalendars = Calendars(authority: .englandDefault, schools: try CalendarPeriodRow.schoolCalendars(in: db))
    let fsm = try ChildTable.fsmPeriods(
      ofChildrenWhere: "childId IN (SELECT c.childId FROM cmeCase c WHERE \(condition))", arguments: arguments, in: db)
    var facts: [CaseFacts] = []
    // The child's columns follow the case's, in this order.
    let ch = Int32(caseColumnCount)
    try RawRow.each(
      db,
      sql: """
        SELECT \(caseColumns), ch.legalSurname, ch.legalForename, ch.dateOfBirth, ch.sex, ch.ethnicity, ch.firstLanguage,
          ch.senProvision, ch.lookedAfter, ch.careAuthority, ch.childProtectionPlan, ch.childInNeed, ch.youthJustice,
          ch.freeSchoolMeals, ch.disability, ch.serviceChild, ch.lastSchool, ch.preferredSurname, ch.preferredForename
        FROM cmeCase c JOIN child ch ON ch.id = c.childId LEFT JOIN user lead ON lead.id = c.leadCaseworkerId
        WHERE \(condition) ORDER BY c.id
        """, arguments: arguments
    ) { r in
      let c = try decodeCase(r)
      var child = Child(
        legalSurname: try r.text(ch, "legal surname"), legalForename: try r.text(ch + 1, "legal forename"),
        dateOfBirth: try r.storedDate(ch + 2))
      child.id = c.childId
      child.sex = try Sex.stored(r.string(ch + 3))
      child.ethnicity = r.string(ch + 4).map(Ethnicity.init(checked:))
      child.firstLanguage = r.string(ch + 5).map(LanguageCode.init(checked:))
      child.senProvision = try r.string(ch + 6).map { try SENProvision.stored($0) }
      child.lookedAfter = r.bool(ch + 7) ?? false
      child.careAuthority = r.string(ch + 8)
      child.childProtectionPlan = r.bool(ch + 9) ?? false
      child.childInNeed = r.bool(ch + 10) ?? false
      child.youthJustice = r.bool(ch + 11) ?? false
      child.freeSchoolMeals = r.bool(ch + 12)
      child.disability = r.string(ch + 13)
      child.serviceChild = try r.string(ch + 14).map { try ServiceChild.stored($0) }
      child.fsmPeriods = fsm[c.childId] ?? []
      child.lastSchool = r.string(ch + 15).flatMap(SchoolRef.init(storageKey:))
      child.preferredSurname = r.string(ch + 16)
      child.preferredForename = r.string(ch + 17)
      child.concerns = concerns[c.childId] ?? []
      var f = CaseFacts(caseRecord: c, child: child, casework: casework[c.id ?? 0] ?? .init())
      f.calendar = schoolCalendars.own(for: child.lastSchool)
      facts.append(f)
    }
    return facts
  }

  /// ``caseFacts(where:arguments:idList:in:)`` for the cases whose ids
  /// `idList` lists, comma-separated.
  static func caseFacts(ids idList: String, in db: Database) throws -> [CaseFacts] {
    try caseFacts(where: "c.id IN (\(idList))", arguments: [], idList: idList, in: db)
  }

  /// ``caseFacts(ids:in:)`` for the cases `ids` names.
  static func caseFacts(ids: [Int64], in db: Database) throws -> [CaseFacts] {
    try caseFacts(ids: idList(ids), in: db)
  }

  /// `ids` as a list for `IN (…)`: numbers, comma-separated.
  static func idList(_ ids: some Sequence<Int64>) -> String {
    ids.map(String.init).joined(separator: ",")
  }

  /// Cases assessed at a time by whole-register passes.
  public static let factsBatch = 2_000

  /// `ids` in order, `batch` at a time, each batch as a list for `IN (…)`.
  static func idLists(_ ids: [Int64], batch: Int) -> [String] {
    idBatches(ids, batch: batch).map(idList)
  }

  /// `ids` in order, `batch` at a time.
  static func idBatches(_ ids: [Int64], batch: Int) -> [[Int64]] {
    let size = max(1, batch)
    return stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
  }

  /// The assessment of a case on `today`: clocks, casework and the RAG suggestion.
  public func assessment(_ reference: CaseReference, by session: Session, today: LocalDate) throws -> (
    CMECase, CaseAssessment
  ) {
    return try read(as: session, needs: .readRegister) { db in
      let c = try Register.fetchCase(reference, in: db)
      return (c, try Register.assess(c, child: try Register.child(id: c.childId, in: db), in: db, today: today))
    }
  }
}
