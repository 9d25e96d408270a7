import CMEAudit
import CMETestSupport
import Foundation
import Testing

@testable import CMEStore

/// Audit entries hold their before and after states as JSON. Flat objects of
/// texts, the common case, are written without JSONEncoder; they must come
/// out exactly as JSONEncoder writes them.
struct AuditJSONTests {
  func encoderJSON(_ object: [String: String]) throws -> String {
    String(decoding: try AuditWriter.encoder.encode(object), as: UTF8.self)
  }

  @Test func flat_objects_are_written_as_the_encoder_writes_them() throws {
    let awkward = String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "é — Łódź 👩🏽‍🏫 \u{2028}"
    let objects: [[String: String]] = [
      [:],
      ["outcome": "case-opened", "ground": "I (2024)", "school": "892/4001", "case": "", "flags": "a; b"],
      ["caseId": "1", "cased": "2", "Case": "3", "case": "4", "_x": "5", "ZZ": "6", "é": "7", "e": "8"],
      ["reason": awkward, awkward: "key"],
      ["path": "returns/2026/autumn.csv", "quote": "she said \"no\"\\"],
    ]
    for object in objects {
      #expect(AuditWriter.flatJSON(object) == (try encoderJSON(object)))
    }
  }

  @Test func flat_objects_with_lists_are_written_as_the_encoder_writes_them() throws {
    let objects: [[String: AuditValue]] = [
      [:],
      [
        "outcome": .text("case-opened"), "flags": .list(["a; b", "ground I \"too soon\"\nsee"]), "case": .text(""),
        "none": .list([]),
      ],
      ["é": .list(["Łódź", "👩🏽‍🏫 \u{2028}", "x/y"]), "e": .text("\u{1}")],
    ]
    for object in objects {
      let encoded = String(decoding: try AuditWriter.encoder.encode(object), as: UTF8.self)
      #expect(AuditWriter.flatJSON(object) == encoded)
      #expect(try AuditWriter.json(object) == encoded)
    }
  }

  @Test func other_values_still_go_through_the_encoder() throws {
    struct Change: Encodable {
      var rating = "red"
      var reasons = ["missing 20 school days"]
    }
    #expect(try AuditWriter.json(Change()) == #"{"rating":"red","reasons":["missing 20 school days"]}"#)
    #expect(try AuditWriter.json(nil) == nil)
  }
}

struct AuditActionTests {
  /// The log of every existing register holds these texts: they never change.
  @Test func the_logged_names_of_actions_stay_as_they_are() {
    #expect(
      AuditAction.allCases.map(\.rawValue) == [
        "register.init", "demo.generate", "user.add", "setting.set", "child.add", "child.update", "child.view",
        "child.search", "child.merge", "case.open", "case.update", "case.view", "case.close", "case.reopen", "rag.set",
        "visit.log", "enquiry.done", "enquiry.na", "action.add", "action.accepted", "action.declined", "action.done",
        "action.cancelled", "calendar.import", "register.cycle.start", "register.cycle.close", "register.check",
        "baseline.import", "board.meeting.create", "board.decide", "board.pack", "export.cases",
        "export.subject-access", "intake.file", "intake.deletion-return", "intake.new-pupil", "intake.ctf",
        "audit.read", "user.password.set", "user.password.change", "user.deactivate", "user.role", "signin",
        "signin.failed", "signin.locked", "signout", "signin.second-factor", "user.second-factor",
        "register.backup", "register.restore", "audit.key", "audit.witness",
        "audit.redact.request", "audit.redact", "audit.rowsRecorded",
        "retention.review", "retention.hold", "retention.release", "retention.erase.request", "retention.dispose",
        "report.dfe-cme", "professional.add", "professional.end",
        "letter.issue", "letter.template.set", "notification.received", "case.illness",
      ])
  }

  @Test func every_entry_a_casework_day_writes_names_a_known_action() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    _ = try t.register.caseDetail(ref, viewedBy: t.register.session("cw"), today: testToday)
    let (_, output) = try sqlite3(t.path, "SELECT DISTINCT action FROM auditEntry;")
    let names = output.split(separator: "\n").map(String.init)
    #expect(names.count >= 4)
    #expect(names.allSatisfy { AuditAction(rawValue: $0) != nil })
  }
}

struct ConnectionSettingTests {
  /// Bulk work changes the connection (page cache, journal); SQLite's refusal
  /// comes back in the store's words, like every other error.
  @Test func a_refused_connection_setting_is_a_store_error() throws {
    let t = try TestRegister()
    #expect(throws: StoreError.database("no such table: nowhere")) {
      try t.register.setting(pragma: "SELECT * FROM nowhere")
    }
  }
}

struct AuditReadingTests {
  /// An admin keeps the log but does not work cases: they see that a child
  /// was added, not who the child is; and every reading of the log is logged.
  @Test func an_admin_reads_the_log_without_what_it_says_of_children_and_the_reading_is_logged() throws {
    let t = try TestRegister()
    _ = try t.addChild(surname: "Okafor", forename: "Precious")
    let asAdmin = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("admin"), limit: nil)
    let added = try #require(asAdmin.first { $0.action == "child.add" })
    #expect(added.after == nil && added.before == nil)
    #expect(!asAdmin.contains { ($0.after ?? "").contains("Okafor") || ($0.reason ?? "").contains("Okafor") })
    #expect(asAdmin.contains { $0.action == "user.add" && $0.after != nil })
    let asManager = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: nil)
    #expect(asManager.contains { $0.action == "child.add" && ($0.after ?? "").contains("Okafor") })
    let reads = asManager.filter { $0.action == "audit.read" }
    #expect(reads.map(\.actor) == ["admin"])
  }
}
