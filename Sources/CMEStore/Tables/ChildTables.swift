import CMEDomain
import GRDB

/// `child` and the lists that hang off it (`childFormerName`,
/// `childFormerUpn`, `childConcern`, `childAddress`, `carer`): a child's
/// record. Every write of these tables is here, for new children, changed
/// records, merges and bulk loads alike.
enum ChildTable {
  static let listTables = [
    "childFormerName", "childFormerUpn", "childConcern", "childAddress", "carer", "childFSMPeriod",
  ]

  /// Writes a new child with its lists and returns its id.
  static func insert(_ c: Child, createdAt: String, auditSeq: Int64, in db: Database) throws -> Int64 {
    try db.cachedStatement(
      sql: """
        INSERT INTO child (legalSurname, legalForename, middleNames, preferredSurname, preferredForename,
          dateOfBirth, sex, genderIdentity, upn, ethnicity, firstLanguage, religion, senProvision,
          disability, lookedAfter, careAuthority, childProtectionPlan, childInNeed, youthJustice,
          freeSchoolMeals, sexualOrientation, circumstances, lastSchool, ethnicitySource, serviceChild, createdAt,
          auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: columns(of: c) + [createdAt, auditSeq])
    let id = db.lastInsertedRowID
    try insertLists(of: c, id: id, auditSeq: auditSeq, in: db)
    return id
  }

  /// Writes a child's record over what is stored: the row, and its lists
  /// whole. The caller's audit entry (numbered `auditSeq`) keeps the record
  /// as it was.
  static func rewrite(_ c: Child, id: Int64, auditSeq: Int64, in db: Database) throws {
    try db.cachedStatement(
      sql: """
        UPDATE child SET legalSurname = ?, legalForename = ?, middleNames = ?, preferredSurname = ?,
          preferredForename = ?, dateOfBirth = ?, sex = ?, genderIdentity = ?, upn = ?, ethnicity = ?,
          firstLanguage = ?, religion = ?, senProvision = ?, disability = ?, lookedAfter = ?, careAuthority = ?,
          childProtectionPlan = ?, childInNeed = ?, youthJustice = ?, freeSchoolMeals = ?, sexualOrientation = ?,
          circumstances = ?, lastSchool = ?, ethnicitySource = ?, serviceChild = ?, auditSeq = ?
        WHERE id = ?
        """
    ).execute(arguments: columns(of: c) + [auditSeq, id])
    try deleteLists(of: id, in: db)
    try insertLists(of: c, id: id, auditSeq: auditSeq, in: db)
  }

  /// Takes away a child's UPN and lists (when the record is merged into
  /// another, which takes them over).
  static func clearForMerge(_ id: Int64, auditSeq: Int64, in db: Database) throws {
    try deleteLists(of: id, in: db)
    try db.execute(sql: "UPDATE child SET upn = NULL, auditSeq = ? WHERE id = ?", arguments: [auditSeq, id])
  }

  /// Reads a child with its lists, or nil.
  static func read(_ id: Int64, in db: Database) throws -> Child? {
    guard let row = try ChildRow.fetchOne(db, key: id) else { return nil }
    var c = try row.child()
    c.formerNames = try String.fetchAll(
      db, sql: "SELECT name FROM childFormerName WHERE childId = ? ORDER BY id", arguments: [id])
    c.formerUPNs = try String.fetchAll(
      db, sql: "SELECT upn FROM childFormerUpn WHERE childId = ? ORDER BY upn", arguments: [id]
    ).map(ChildRow.upn)
    c.concerns = Set(
      try String.fetchAll(db, sql: "SELECT concern FROM childConcern WHERE childId = ?", arguments: [id])
        .map { try SafeguardingConcern.stored($0) })
    c.addresses = try Row.fetchAll(
      db, sql: "SELECT * FROM childAddress WHERE childId = ? ORDER BY fromDate, id", arguments: [id]
    ).map { Address(text: $0["text"], postcode: $0["postcode"], from: $0["fromDate"], to: $0["toDate"]) }
    c.carers = try Row.fetchAll(db, sql: "SELECT * FROM carer WHERE childId = ? ORDER BY id", arguments: [id]).map {
      Carer(
        name: $0["name"], relationship: $0["relationship"], phone: $0["phone"],
        livesWithChild: $0["livesWithChild"], parentalResponsibility: $0["parentalResponsibility"])
    }
    c.fsmPeriods = try fsmPeriods(ofChildrenWhere: "childId = ?", arguments: [id], in: db)[id] ?? []
    return c
  }

  /// The free-school-meal periods of the children matching `condition` (on
  /// `childFSMPeriod`'s `childId`), each child's oldest first: for one child,
  /// or for every child of the cases an assessment reads in bulk.
  static func fsmPeriods(ofChildrenWhere condition: String, arguments: StatementArguments, in db: Database) throws
    -> [Int64: [FSMPeriod]]
  {
    var out: [Int64: [FSMPeriod]] = [:]
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT childId, startDate, endDate, country FROM childFSMPeriod
        WHERE \(condition) ORDER BY childId, startDate, id
        """, arguments: arguments)
    {
      out[r["childId"], default: []].append(
        FSMPeriod(
          start: try Register.storedDate(r["startDate"]), end: try Register.date(r["endDate"]), country: r["country"]))
    }
    return out
  }

  private static func columns(of c: Child) -> StatementArguments {
    [
      c.legalSurname, c.legalForename, c.middleNames, c.preferredSurname, c.preferredForename, c.dateOfBirth,
      c.sex.rawValue, c.genderIdentity, c.upn?.value, c.ethnicity?.code, c.firstLanguage?.code, c.religion,
      c.senProvision?.rawValue, c.disability, c.lookedAfter, c.careAuthority, c.childProtectionPlan, c.childInNeed,
      c.youthJustice, c.freeSchoolMeals, c.sexualOrientation, c.circumstances, c.lastSchool?.storageKey,
      c.ethnicitySource?.rawValue, c.serviceChild?.rawValue,
    ]
  }

  private static func deleteLists(of id: Int64, in db: Database) throws {
    for table in listTables {
      try db.cachedStatement(sql: "DELETE FROM \(table) WHERE childId = ?").execute(arguments: [id])
    }
  }

  private static func insertLists(of c: Child, id: Int64, auditSeq: Int64, in db: Database) throws {
    for name in c.formerNames {
      try db.cachedStatement(sql: "INSERT INTO childFormerName (childId, name, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, name, auditSeq])
    }
    for upn in c.formerUPNs {
      try db.cachedStatement(sql: "INSERT INTO childFormerUpn (childId, upn, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, upn.value, auditSeq])
    }
    for concern in c.concerns.sorted(by: { $0.rawValue < $1.rawValue }) {
      try db.cachedStatement(sql: "INSERT INTO childConcern (childId, concern, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, concern.rawValue, auditSeq])
    }
    for a in c.addresses {
      try db.cachedStatement(
        sql: "INSERT INTO childAddress (childId, text, postcode, fromDate, toDate, auditSeq) VALUES (?, ?, ?, ?, ?, ?)"
      ).execute(arguments: [id, a.text, a.postcode, a.from, a.to, auditSeq])
    }
    for p in c.fsmPeriods {
      try db.cachedStatement(
        sql: "INSERT INTO childFSMPeriod (childId, startDate, endDate, country, auditSeq) VALUES (?, ?, ?, ?, ?)"
      ).execute(arguments: [id, p.start, p.end, p.country, auditSeq])
    }
    for p in c.carers {
      try db.cachedStatement(
        sql: """
          INSERT INTO carer (childId, name, relationship, phone, livesWithChild, parentalResponsibility, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [id, p.name, p.relationship, p.phone, p.livesWithChild, p.parentalResponsibility, auditSeq])
    }
  }
}

/// A row of `child`, read strictly: a code or date the schema forbids fails.
struct ChildRow: Codable, FetchableRecord, TableRecord {
  static let databaseTableName = "child"

  var id: Int64
  var legalSurname: String
  var legalForename: String
  var middleNames: String?
  var preferredSurname: String?
  var preferredForename: String?
  var dateOfBirth: LocalDate
  var sex: Sex
  var genderIdentity: String?
  var upn: String?
  var ethnicity: String?
  var firstLanguage: String?
  var religion: String?
  var senProvision: SENProvision?
  var disability: String?
  var lookedAfter: Bool
  var careAuthority: String?
  var childProtectionPlan: Bool
  var childInNeed: Bool
  var youthJustice: Bool
  var freeSchoolMeals: Bool?
  var sexualOrientation: String?
  var circumstances: String?
  var lastSchool: String?
  var ethnicitySource: String?
  var serviceChild: String?

  /// A stored UPN; one that fails its check letter was not written by cme.
  static func upn(_ text: String) throws -> UPN {
    guard case .success(let upn) = UPN.validate(text) else { throw StoreError.unreadable(what: "UPN", value: text) }
    return upn
  }

  /// The child as the domain knows it, without the lists.
  func child() throws -> Child {
    var c = Child(legalSurname: legalSurname, legalForename: legalForename, dateOfBirth: dateOfBirth)
    c.id = id
    c.middleNames = middleNames
    c.preferredSurname = preferredSurname
    c.preferredForename = preferredForename
    c.sex = sex
    c.genderIdentity = genderIdentity
    c.upn = try upn.map(ChildRow.upn)
    c.ethnicity = ethnicity.map(Ethnicity.init(checked:))
    c.firstLanguage = firstLanguage.map(LanguageCode.init(checked:))
    c.religion = religion
    c.senProvision = senProvision
    c.disability = disability
    c.lookedAfter = lookedAfter
    c.careAuthority = careAuthority
    c.childProtectionPlan = childProtectionPlan
    c.childInNeed = childInNeed
    c.youthJustice = youthJustice
    c.freeSchoolMeals = freeSchoolMeals
    c.sexualOrientation = sexualOrientation
    c.circumstances = circumstances
    c.ethnicitySource = try ethnicitySource.map { try EthnicitySource.stored($0) }
    c.serviceChild = try serviceChild.map { try ServiceChild.stored($0) }
    c.lastSchool = try lastSchool.map {
      guard let school = SchoolRef(storageKey: $0) else { throw StoreError.unreadable(what: "school", value: $0) }
      return school
    }
    return c
  }
}

/// `childMerge`: which record was merged into which, and why.
enum ChildMergeTable {
  /// Records that `mergedId` was merged into `keptId`.
  static func record(
    merged mergedId: Int64, into keptId: Int64, reason: String, by userId: Int64, at: String, auditSeq: Int64,
    in db: Database
  ) throws {
    try db.execute(
      sql: "INSERT INTO childMerge (mergedId, keptId, reason, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [mergedId, keptId, reason, userId, at, auditSeq])
  }

  /// The child a record was merged into, if it was.
  static func keptId(for mergedId: Int64, in db: Database) throws -> Int64? {
    try Int64.fetchOne(db, sql: "SELECT keptId FROM childMerge WHERE mergedId = ?", arguments: [mergedId])
  }
}
