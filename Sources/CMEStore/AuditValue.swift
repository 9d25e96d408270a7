import CMEDomain

/// A value in a flat audit object: a text, or a list of texts (an imported
/// row's flags). Encodes as the text or the array itself.
enum AuditValue: Encodable, Equatable, Sendable {
  case text(String)
  case list([String])

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .text(let text): try container.encode(text)
    case .list(let list): try container.encode(list)
    }
  }
}

extension AuditWriter {
  /// A flat object of texts and lists of texts as ``encoder`` writes it,
  /// built directly like ``flatJSON(_:)-([String:String])``: imports write
  /// one per row.
  static func flatJSON(_ object: [String: AuditValue]) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    for (i, key) in JSONText.sortedKeys(Array(object.keys)).enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      JSONText.appendString(key, to: &out)
      out.append(UInt8(ascii: ":"))
      switch object[key]! {
      case .text(let text): JSONText.appendString(text, to: &out)
      case .list(let list):
        out.append(UInt8(ascii: "["))
        for (j, item) in list.enumerated() {
          if j > 0 { out.append(UInt8(ascii: ",")) }
          JSONText.appendString(item, to: &out)
        }
        out.append(UInt8(ascii: "]"))
      }
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }
}

extension AuditWriter {
  /// A list of texts as ``encoder`` writes it.
  static func jsonList(_ list: [String]) -> String {
    var out: [UInt8] = [UInt8(ascii: "[")]
    for (i, item) in list.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      JSONText.appendString(item, to: &out)
    }
    out.append(UInt8(ascii: "]"))
    return String(decoding: out, as: UTF8.self)
  }
}
