/// The byte encoding that the audit chain hashes.
///
/// Each field is written in a fixed order as one of:
/// - `0x00` — the field is absent (SQL NULL);
/// - `0x01`, the length as 8 bytes big-endian, then the bytes (UTF-8 for text).
///
/// Integers are written as their decimal text. The encoding starts with the
/// ASCII tag `cme-audit-v1`, so a future layout can never collide with this
/// one. Because every field carries its length, no two different entries
/// encode to the same bytes (no ambiguity between `"ab","c"` and `"a","bc"`).
///
/// - Payload digest: SHA-256 of the tag `cme-audit-payload-v1` followed by
///   `before` and `after`.
/// - Content digest: SHA-256 of the tag, then `sequence`, `at`, `actor`,
///   `action`, `entity`, `entityId`, `childId`, `caseId`, `reason`, and the
///   32 bytes of the payload digest.
/// - An entry that names its channel (every entry written since the log
///   recorded channels) starts with the tag `cme-audit-v2` instead, and has
///   the channel as one more field after the payload digest. Entries without
///   one keep the `v1` layout, so the hashes of an older log still verify.
/// - An entry that records the rows it changed (every entry written since the
///   log recorded rows) starts with the tag `cme-audit-v3`, leaves `reason`
///   out of its content, and has the channel field (absent or not) and then
///   the 32 bytes of its rows digest (``RowRecordsDigest``) after the payload
///   digest. Its reason is part of its payload instead (tag
///   `cme-audit-payload-v2`: `before`, `after`, `reason`), so that a redaction
///   or a disposal can remove a reason that names a child.
/// - Entry hash: SHA-256 of the previous entry's hash (32 zero bytes for the
///   first entry) followed by the content digest.
public enum CanonicalEncoding {
  static let contentTag = Array("cme-audit-v1".utf8)
  static let contentTagWithChannel = Array("cme-audit-v2".utf8)
  static let contentTagWithRows = Array("cme-audit-v3".utf8)
  static let payloadTag = Array("cme-audit-payload-v1".utf8)
  static let payloadTagWithReason = Array("cme-audit-payload-v2".utf8)

  package static func append(_ field: [UInt8]?, to out: inout [UInt8]) {
    guard let field else {
      out.append(0)
      return
    }
    out.append(1)
    let n = UInt64(field.count)
    for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
    out.append(contentsOf: field)
  }

  package static func append(_ text: String?, to out: inout [UInt8]) {
    append(text.map { Array($0.utf8) }, to: &out)
  }

  /// The bytes whose SHA-256 is the payload digest.
  public static func payloadBytes(before: String?, after: String?) -> [UInt8] {
    var out = payloadTag
    append(before, to: &out)
    append(after, to: &out)
    return out
  }

  /// The bytes whose SHA-256 is the payload digest of an entry that records
  /// rows (its reason is part of its payload).
  public static func payloadBytes(before: String?, after: String?, reason: String?) -> [UInt8] {
    var out = payloadTagWithReason
    append(before, to: &out)
    append(after, to: &out)
    append(reason, to: &out)
    return out
  }

  /// The bytes whose SHA-256 is the content digest.
  public static func contentBytes(_ e: AuditEntry, payloadDigest: Digest) -> [UInt8] {
    var out = e.rowsDigest != nil ? contentTagWithRows : e.channel == nil ? contentTag : contentTagWithChannel
    out.reserveCapacity(256)
    append(String(e.sequence), to: &out)
    append(e.at, to: &out)
    append(e.actor, to: &out)
    append(e.action, to: &out)
    append(e.entity, to: &out)
    append(e.entityId, to: &out)
    append(e.childId.map(String.init), to: &out)
    append(e.caseId.map(String.init), to: &out)
    if e.rowsDigest == nil { append(e.reason, to: &out) }
    append(payloadDigest.bytes, to: &out)
    if let rows = e.rowsDigest {
      append(e.channel, to: &out)
      append(rows.bytes, to: &out)
    } else if let channel = e.channel {
      append(channel, to: &out)
    }
    return out
  }
}
