import CMEDomain
import Foundation
import Testing

/// Listings and audit entries write their JSON directly; it must be, byte
/// for byte, what JSONEncoder writes.
struct JSONTextTests {
  let pieces = [
    "a", "Z", "0", " ", ",", "\"", "\\", "/", "\n", "\r", "\t", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "\u{7F}", "é",
    "Łódź", "👩🏽‍🏫", "\u{2028}", "\u{202E}", "\u{FEFF}", "CME-2026-00001", "2026-11-30", "",
  ]

  func text(_ g: inout some RandomNumberGenerator) -> String {
    (0..<Int.random(in: 0...5, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
  }

  @Test func arrays_of_objects_are_written_as_the_encoder_writes_them_pretty() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var g = SystemRandomNumberGenerator()
    for round in 0..<300 {
      let keys = (0..<Int.random(in: 0...6, using: &g)).map { "k\($0)_" + text(&g) }
      let unique = Array(Set(keys))
      let rows = (0..<Int.random(in: 1...4, using: &g)).map { _ in unique.map { _ in text(&g) } }
      let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(unique, $0)) }
      let sorted = JSONText.sortedKeys(unique)
      var out: [UInt8] = Array("[\n".utf8)
      for (i, object) in objects.enumerated() {
        if i > 0 { out += Array(",\n".utf8) }
        JSONText.appendPrettyObject(keys: sorted, values: { object[sorted[$0]]! }, indent: 1, to: &out)
      }
      out += Array("\n]".utf8)
      let expected = String(decoding: try encoder.encode(objects), as: UTF8.self)
      #expect(String(decoding: out, as: UTF8.self) == expected, "round \(round)")
    }
    #expect(String(decoding: try encoder.encode([[String: String]]()), as: UTF8.self) == "[\n\n]")
  }

  @Test func a_string_is_escaped_as_the_encoder_escapes_it() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    for scalar in (0..<0x80).compactMap(Unicode.Scalar.init) {
      let s = "x\(scalar)y"
      var out: [UInt8] = []
      JSONText.appendString(s, to: &out)
      #expect(String(decoding: out, as: UTF8.self) == String(decoding: try encoder.encode(s), as: UTF8.self))
    }
  }
}
