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
