import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import GRDB
import Testing

/// The search reads names from their trigram index: it must find what the
/// rows hold, after every kind of change, and nothing else.
struct SearchIndexTests {
  @Test func names_are_found_by_any_part_after_every_change() throws {
    let t = try TestRegister()
    let r = t.register
    let id = try t.addChild(surname: "Ward", forename: "Tommy") { $0.preferredForename = "Tom" }
    _ = try t.addChild(surname: "Edwards", forename: "Alice")
    func found(_ text: String) throws -> [String] {
      try r.findChildren(text, by: r.session("cw")).children.map(\.name).sorted()
    }
    #expect(try found("ward") == ["Alice Edwards", "Tom Ward"])
    #expect(try found("omm") == ["Tom Ward"])
    #expect(try found("Wa") == ["Alice Edwards", "Tom Ward"])  // shorter than a trigram: still found
    #expect(try found("tommy ward") == ["Tom Ward"])
    _ = try r.updateChild(id: id, reason: "Name changed by deed poll", by: r.session("cw"), today: testToday) {
      $0.legalSurname = "Hughes"
      $0.formerNames = ["Tommy Ward"]
    }
    #expect(try found("hughes") == ["Tom Hughes"])
    // The old surname is now a former name, and still finds him.
    #expect(try found("ward") == ["Alice Edwards", "Tom Hughes"])
    #expect(try found("zzzz").isEmpty)
    // A joiner pasted into a word changes nothing a reader sees: still found.
    #expect(try found("Hug\u{200D}hes") == ["Tom Hughes"])
    #expect(try found("tom\u{2062} hughes") == ["Tom Hughes"])
  }
}

struct DemoNameIndexTests {
  /// The demo fills the index at the end and puts its triggers back.
  @Test func a_demo_register_has_every_child_in_the_name_index() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 200, seed: 3, in: dir)
    let counts = try sqlite3(
      register.path,
      "SELECT (SELECT count(*) FROM child) = (SELECT count(*) FROM childNameIndex), (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%nameIndex%');"
    ).output.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(counts == "1|6")
    let surname = try sqlite3(register.path, "SELECT legalSurname FROM child LIMIT 1;").output
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let me = try register.commandLineSession(account: "test", requested: "me")
    #expect(try !register.findChildren(surname, by: me).children.isEmpty)
  }
}

/// An import puts the children it adds in the name index together at its
/// end: the index is then what the children's rows say, the trigger that
/// indexes a child is back as it was, and an import that fails or is a dry
/// run leaves both as they were.
struct ImportNameIndexTests {
  let header =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date"

  func state(_ path: String) throws -> (index: [String], trigger: String) {
    let db = try DatabaseQueue(path: path)
    return try db.read { db in
      (
        try String.fetchAll(db, sql: "SELECT rowid || ' ' || names FROM childNameIndex ORDER BY rowid"),
        try String.fetchOne(
          db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'child_nameIndexInsert'") ?? "none"
      )
    }
  }

  /// Each child's names as the schema's own view gives them, as the trigger would index them.
  func expected(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read {
      try String.fetchAll($0, sql: "SELECT id || ' ' || names FROM childNameText ORDER BY id")
    }
  }

  @Test func an_imports_new_children_are_indexed_at_its_end() throws {
    let t = try TestRegister()
    let r = t.register
    _ = try t.addChild(surname: "Ward", forename: "Tommy", dob: "2014-03-02")
    let before = try state(t.path)
    #expect(before.index.count == 1 && before.trigger.contains("AFTER INSERT ON child"))
    let text =
      header + "\n"
      + ",WARD,tommy,2014-03-02,M,,,892/4001,2026-11-06,I,2026-10-01,Mary Ward,,07700 900123,,,\n"
      + ",Kowalska,Żaneta,2015-06-19,F,,,122345,2026-11-10,G,2026-11-02,A Kowalska,,07700 900456,,,\n"
      + ",O'Brien,Siobhán,2016-02-11,F,,,891/2003,2026-11-13,G,,Claire O'Brien,,07700 900654,,,\n"
      // The same child again in the same file: matched to the child its first row added.
      + ",OBrien,Siobhan,2016-02-11,F,,,891/2003,2026-11-14,G,,Claire O'Brien,,07700 900654,,,\n"
    let cw = try r.session("cw")
    // A dry run, then a run that fails on its last row, leave everything as it was.
    let dry = try r.importDeletionReturns(csv: Array(text.utf8), file: "a.csv", dryRun: true, by: cw, today: testToday)
    #expect(dry.childrenCreated == 2)
    #expect(try state(t.path) == before)
    try sqlite3(
      t.path,
      "CREATE TRIGGER fault BEFORE INSERT ON importRow WHEN NEW.line = 5 BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
    )
    #expect(throws: StoreError.database("injected fault")) {
      try r.importDeletionReturns(csv: Array(text.utf8), file: "a.csv", by: cw, today: testToday)
    }
    #expect(try state(t.path) == before)
    try sqlite3(t.path, "DROP TRIGGER fault;")

    let s = try r.importDeletionReturns(csv: Array(text.utf8), file: "a.csv", by: cw, today: testToday)
    #expect(s.childrenCreated == 2 && s.childrenMatched == 2)
    let after = try state(t.path)
    #expect(after.index == (try expected(t.path)) && after.index.count == 3)
    #expect(after.trigger == before.trigger)
    func found(_ text: String) throws -> [String] {
      try r.findChildren(text, by: cw).children.map(\.name).sorted()
    }
    #expect(try found("zaneta") == ["Żaneta Kowalska"])
    #expect(try found("obrien") == ["Siobhán O'Brien"])
    #expect(try found("ward") == ["Tommy Ward"])
    // A child added afterwards is indexed by the trigger, as before.
    _ = try t.addChild(surname: "Lovell", forename: "Levi", dob: "2011-09-05")
    #expect(try found("lovell") == ["Levi Lovell"])
    #expect(try state(t.path).index == (try expected(t.path)))
    #expect(try r.verifyAudit(by: r.session("mgr")).isIntact)
  }
}

/// The search stops at its limit, reading matches from the index in id
/// order. Whatever it returns must be what a full reading of every child's
/// names says: the first matches by id, `more` when there are others.
struct SearchAgainstFullReadingTests {
  @Test func the_search_returns_the_first_matches_of_a_full_reading_and_says_when_there_are_more() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 300, seed: 17, in: dir)
    let me = try register.commandLineSession(account: "test", requested: "me")
    // Names caseworkers meet, beside the demo's.
    func add(_ forename: String, _ surname: String, former: [String] = [], dob: String = "2013-05-09") throws -> Int64 {
      var c = Child(legalSurname: surname, legalForename: forename, dateOfBirth: try LocalDate.parse(dob, field: "dob"))
      c.sex = .male
      c.formerNames = former
      return try register.addChild(c, by: me, today: testToday)
    }
    _ = try add("Łukasz", "Nowak")
    _ = try add("Zuzanna", "Kowalská", former: ["Zuzanna Wysocka"])
    let siobhan = try add("Siobhan", "O'Brien")
    // She lived at the same postcode twice: found once.
    _ = try register.updateChild(id: siobhan, reason: "Moved back", by: me, today: testToday) {
      $0.addresses = [
        Address(text: "Flat 1, 2 Mill Lane, Nottingham", postcode: "NG7 2QQ", to: LocalDate(iso: "2024-01-31")),
        Address(text: "Flat 6, 2 Mill Lane, Nottingham", postcode: "NG7 2QQ", from: LocalDate(iso: "2025-03-01")),
      ]
    }
    _ = try add("Mary-Jane", "Smith-Jones")
    let kept = try add("Muhammad", "Khan")
    let twin = try add("Mohammed", "Khan")
    _ = try register.mergeChildren(
      keep: kept, other: twin, reason: "The same child, recorded twice", by: me, today: testToday)
    let queue = try DatabaseQueue(path: register.path)
    let children = try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT legalForename, legalSurname, dateOfBirth, upn FROM child ORDER BY id")
    }
    let postcode = try #require(
      try queue.read { db in try String.fetchOne(db, sql: "SELECT postcode FROM childAddress") })
    var rng = SeededRandom(seed: 5)
    var searches = [
      "mohammed", "Muhammad khan", "obrien", "O Brien", "al khan", "khan a", "kowalski", "wysocki", "lukasz",
      "smith jones", "zzqx", "Wa",
      "2013-05-09", "2013-05-09 khan", postcode, "NG7 2QQ",
      // "_" matches one character; after a prepended mark it is not a Character of its own.
      "ab_ smith", "\u{600}_\u{600}_ smith", "a_b",
    ]
    for _ in 0..<12 {
      let c = children[rng.below(children.count)]
      let surname: String = c["legalSurname"]
      let forename: String = c["legalForename"]
      let start = rng.below(max(1, surname.count - 3))
      let piece = String(surname.dropFirst(start).prefix(3))
      searches += [surname, "\(forename) \(surname)", piece, "\(c["dateOfBirth"] as String) \(piece)"]
      if let upn: String = c["upn"] { searches += [upn.lowercased(), "\(upn) \(forename)"] }
    }
    for text in searches {
      let expected = try queue.read { db in try Int64.fetchAll(db, sql: fullReading(of: text)) }
      for limit in [1, 7, 10_000] {
        let found = try register.findChildren(text, by: me, limit: limit)
        #expect(Set(found.children.map(\.id)) == Set(expected.prefix(limit)), "\(text), limit \(limit)")
        #expect(found.more == (expected.count > limit), "\(text), limit \(limit)")
        let names = try queue.read { db in
          try found.children.map { c in
            try Row.fetchOne(db, sql: "SELECT legalSurname, legalForename FROM child WHERE id = ?", arguments: [c.id])
              .map { [$0["legalSurname"] as String, $0["legalForename"] as String] } ?? []
          }
        }
        #expect(names == names.sorted { $0.lexicographicallyPrecedes($1) }, "\(text): by name")
      }
    }
  }

  @Test func a_search_refuses_control_characters_and_words_longer_than_a_name() throws {
    let t = try TestRegister()
    _ = try t.addChild(surname: "Smith", forename: "John")
    let cw = try t.register.session("cw")
    for text in ["jo\u{0}hn smith", "\u{0}abc smith", "smith\u{202E}"] {
      #expect {
        _ = try t.register.findChildren(text, by: cw)
      } throws: { error in
        (error as? InvalidInput)?.field == "TEXT" && (error as? InvalidInput)?.problem.contains("position") == true
      }
    }
    let long = String(repeating: "x", count: 101)
    #expect {
      _ = try t.register.findChildren("2014-03-02 \(long)", by: cw)
    } throws: { error in
      (error as? InvalidInput)?.problem == "a word of 101 characters is longer than any name (100 at most)"
    }
    #expect(try t.register.findChildren("john smith", by: cw, limit: Int.max).children.count == 1)
  }

  /// Every child read in full: each word matches the names as the index
  /// holds them (from the view the index is filled from) in one of its
  /// spellings, or is the UPN, a former UPN or the date of birth.
  func fullReading(of text: String) -> String {
    func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
    if let postcode = try? Address.parsePostcode(text, field: "TEXT") {
      return """
        SELECT DISTINCT childId FROM childAddress WHERE postcode = \(quoted(postcode))
          AND childId NOT IN (SELECT mergedId FROM childMerge) ORDER BY 1
        """
    }
    let conditions = text.split(separator: " ").map(String.init).map { w in
      let names = NameVariants.of(w).map { "t.names LIKE \(quoted("%\($0)%"))" }
      return "(" + names.joined(separator: " OR ")
        + " OR c.upn = upper(\(quoted(w))) OR c.dateOfBirth = \(quoted(w))"
        + " OR c.id IN (SELECT childId FROM childFormerUpn WHERE upn = upper(\(quoted(w)))))"
    }
    return """
      SELECT c.id FROM child c JOIN childNameText t ON t.id = c.id
      WHERE c.id NOT IN (SELECT mergedId FROM childMerge) AND \(conditions.joined(separator: " AND ")) ORDER BY c.id
      """
  }
}
