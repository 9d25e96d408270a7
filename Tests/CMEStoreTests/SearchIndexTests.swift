import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
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
      try r.findChildren(text, by: r.session("cw")).map(\.name).sorted()
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
    #expect(try !register.findChildren(surname, by: me).isEmpty)
  }
}
