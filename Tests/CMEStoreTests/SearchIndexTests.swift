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
