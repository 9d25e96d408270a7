import CMEDomain
import Foundation
import Hummingbird

/// A submitted form's fields, as typed.
struct Form: Sendable {
  var fields: [String: String]

  subscript(_ name: String) -> String { fields[name] ?? "" }

  /// The field, or nil when it is empty or only spaces.
  func optional(_ name: String) -> String? {
    let v = self[name].trimmingCharacters(in: .whitespacesAndNewlines)
    return v.isEmpty ? nil : v
  }

  /// Every value of a repeated field (`case=A&case=B`), in order.
  var repeated: [String: [String]] = [:]

  /// Reads an `application/x-www-form-urlencoded` body of at most 64 KiB.
  /// Bytes that are not UTF-8 are refused, not replaced.
  static func read(_ request: Request, context: WebContext) async throws -> Form {
    var request = request
    let buffer = try await request.collectBody(upTo: context.maxUploadSize)
    let bytes = Array(buffer.readableBytesView)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw HTTPError(.badRequest, message: "The form's text is not UTF-8.")
    }
    return try parse(text)
  }

  static func parse(_ text: String) throws -> Form {
    var form = Form(fields: [:])
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
        throw HTTPError(.badRequest, message: "The form could not be read.")
      }
      form.repeated[name, default: []].append(value)
      form.fields[name] = form.fields[name] ?? value
    }
    return form
  }

  private static func decode(_ part: Substring) -> String? {
    String(part).replacingScalars(["+": " "]).removingPercentEncoding
  }
}

/// Compares two secrets in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8)
  let y = Array(b.utf8)
  guard x.count == y.count else { return false }
  var diff: UInt8 = 0
  for i in 0..<x.count { diff |= x[i] ^ y[i] }
  return diff == 0
}

/// The errors of one submitted form: a summary at the top of the page and
/// a message beside each field, as the GOV.UK error summary pattern has it.
struct FormErrors: Sendable {
  var items: [(field: String, message: String)] = []

  var isEmpty: Bool { items.isEmpty }

  mutating func add(_ field: String, _ message: String) { items.append((field, message)) }

  /// The error of an input refused by the register, placed on the form's
  /// field for the record's field (or on `fallback`).
  mutating func add(_ e: InvalidInput, fields map: [String: String], fallback: String) {
    add(map[e.field] ?? fallback, sentence(e.problem) + "." + (e.fix.map { " " + $0 + "." } ?? ""))
  }

  /// The summary and per-field messages for a template.
  var view: [String: Any] {
    var byField: [String: String] = [:]
    for item in items where byField[item.field] == nil { byField[item.field] = item.message }
    return [
      "errors": items.map { ["field": $0.field, "message": $0.message] },
      "fieldErrors": byField,
    ]
  }
}

/// A sentence from a message that starts in lower case.
func sentence(_ text: String) -> String {
  guard let first = text.first else { return text }
  return first.uppercased() + text.dropFirst()
}
