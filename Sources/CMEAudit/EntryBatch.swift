import Crypto
import Dispatch
import Foundation

/// Consecutive entries of the log, as the register stores them, laid out in
/// one buffer as the bytes the chain hashes (``CanonicalEncoding``), so that
/// a large log is checked without an object, a string or a digest allocated
/// per entry. ``ChainVerifier/check(_:entry:digests:)`` checks each entry
/// exactly as ``ChainVerifier/check(_:)`` checks a ``SealedEntry``.
public struct EntryBatch: Sendable {
  /// The stored columns an entry is read from.
  public enum Column: CaseIterable, Sendable {
    case at, actor, action, entity, entityId, childId, caseId, reason, before, after, payloadDigest, hash, channel,
      rowsDigest
  }

  struct Item: Sendable {
    var sequence: Int64
    var redacted: Bool
    var hasBefore: Bool
    var hasAfter: Bool
    var hasReason: Bool
    /// The content bytes, in ``bytes``.
    var content: Range<Int>
    /// The payload bytes, in ``bytes``; nil for a redacted entry.
    var payload: Range<Int>?
    /// Offsets of 32 bytes each in ``stored``.
    var payloadDigest: Int
    var hash: Int
    var rowsDigest: Int?
  }

  var bytes: [UInt8] = []
  /// The stored digests, decoded (32 zero bytes where the hex is not valid).
  var stored: [UInt8] = []
  var items: [Item] = []

  public init() {}

  public var count: Int { items.count }
  public var isEmpty: Bool { items.isEmpty }

  public mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    stored.removeAll(keepingCapacity: true)
    items.removeAll(keepingCapacity: true)
  }

  /// The sequence number of entry `i` of the batch.
  public func sequence(_ i: Int) -> Int64 { items[i].sequence }
  /// Whether entry `i`'s payload was redacted.
  public func isRedacted(_ i: Int) -> Bool { items[i].redacted }
  /// Entry `i`'s stored rows digest, if it records rows.
  public func rowsDigest(_ i: Int) -> Digest? {
    items[i].rowsDigest.map { Digest(bytes: Array(stored[$0..<$0 + 32])) }
  }
  func storedDigest(at offset: Int) -> ArraySlice<UInt8> { stored[offset..<offset + 32] }

  /// Adds the next entry. `column` gives a column's stored text as UTF-8
  /// (integers as their decimal text), nil for NULL; the bytes need only
  /// live for the call.
  public mutating func append(
    sequence: Int64, redacted: Bool, column: (Column) -> UnsafeBufferPointer<UInt8>?
  ) {
    let payloadDigest = decode(column(.payloadDigest))
    let hash = decode(column(.hash))
    let rows = column(.rowsDigest).map { decode($0) }
    let channel = column(.channel)
    let reason = column(.reason)
    let before = column(.before)
    let after = column(.after)
    // The content: as `CanonicalEncoding.contentBytes`.
    let contentStart = bytes.count
    bytes +=
      rows != nil
      ? CanonicalEncoding.contentTagWithRows
      : channel == nil ? CanonicalEncoding.contentTag : CanonicalEncoding.contentTagWithChannel
    var digits = String(sequence)
    digits.withUTF8 { field($0) }
    for c in [Column.at, .actor, .action, .entity, .entityId, .childId, .caseId] { field(column(c)) }
    if rows == nil { field(reason) }
    storedField(payloadDigest)
    if let rows {
      field(channel)
      storedField(rows)
    } else if let channel {
      field(channel)
    }
    let content = contentStart..<bytes.count
    // The payload: as `CanonicalEncoding.payloadBytes`.
    var payload: Range<Int>?
    if !redacted {
      let start = bytes.count
      bytes += rows != nil ? CanonicalEncoding.payloadTagWithReason : CanonicalEncoding.payloadTag
      field(before)
      field(after)
      if rows != nil { field(reason) }
      payload = start..<bytes.count
    }
    items.append(
      Item(
        sequence: sequence, redacted: redacted, hasBefore: before != nil, hasAfter: after != nil,
        hasReason: reason != nil, content: content, payload: payload, payloadDigest: payloadDigest, hash: hash,
        rowsDigest: rows))
  }

  /// A field as `CanonicalEncoding.append` writes it. Text stops at its
  /// first NUL, as the log's text is read elsewhere.
  private mutating func field(_ text: UnsafeBufferPointer<UInt8>?) {
    guard let text else {
      bytes.append(0)
      return
    }
    let n = text.firstIndex(of: 0) ?? text.count
    let length = UInt64(n).bigEndian
    withUnsafeBytes(of: length) { length in
      bytes.append(1)
      bytes.append(contentsOf: length)
    }
    if n > 0 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<n])) }
  }

  private mutating func storedField(_ offset: Int) {
    bytes.append(1)
    bytes += [0, 0, 0, 0, 0, 0, 0, 32]
    bytes.append(contentsOf: stored[offset..<offset + 32])
  }

  /// Decodes 64 lower-case hex digits into ``stored``; 32 zero bytes for
  /// anything else (as a stored digest that is not one is read).
  private mutating func decode(_ hex: UnsafeBufferPointer<UInt8>?) -> Int {
    let offset = stored.count
    stored += repeatElement(0, count: 32)
    guard let hex, hex.count == 64 else { return offset }
    stored.withUnsafeMutableBufferPointer { out in
      for i in 0..<32 {
        let h = EntryBatch.nibbles[Int(hex[2 * i])]
        let l = EntryBatch.nibbles[Int(hex[2 * i + 1])]
        guard h < 16, l < 16 else {
          for j in 0..<32 { out[offset + j] = 0 }
          return
        }
        out[offset + i] = h << 4 | l
      }
    }
    return offset
  }

  /// Each byte's value as a lower-case hex digit; 255 for any other byte.
  private static let nibbles: [UInt8] = (0...255).map { c in
    switch UInt8(c) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(c) - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(c) - UInt8(ascii: "a") + 10
    default: 255
    }
  }

  /// Each entry's own digests (whether its payload matches, and its content
  /// digest), computed on every core.
  public func digests() -> BatchDigests {
    let n = items.count
    var out = BatchDigests(count: n)
    let chunks = n < 64 ? 1 : Swift.min(n / 16, ProcessInfo.processInfo.activeProcessorCount * 4)
    out.contents.withUnsafeMutableBufferPointer { contents in
      out.payloadMatches.withUnsafeMutableBufferPointer { matches in
        nonisolated(unsafe) let contents = contents
        nonisolated(unsafe) let matches = matches
        bytes.withUnsafeBufferPointer { bytes in
          nonisolated(unsafe) let bytes = bytes
          DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for i in (chunk * n / chunks)..<((chunk + 1) * n / chunks) {
              let item = items[i]
              if let payload = item.payload {
                let digest = SHA256.hash(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[payload])))
                matches[i] = digest.elementsEqual(stored[item.payloadDigest..<item.payloadDigest + 32])
              }
              let content = SHA256.hash(
                data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[item.content])))
              var at = i * 32
              for b in content {
                contents[at] = b
                at += 1
              }
            }
          }
        }
      }
    }
    return out
  }
}

/// The digests ``EntryBatch/digests()`` computes.
public struct BatchDigests: Sendable {
  var payloadMatches: [Bool]
  var contents: [UInt8]

  init(count: Int) {
    payloadMatches = Array(repeating: true, count: count)
    contents = Array(repeating: 0, count: count * 32)
  }
}

extension ChainVerifier {
  /// Checks entry `i` of `batch` as the next entry, exactly as
  /// ``check(_:)`` checks a ``SealedEntry``, given the batch's digests.
  public mutating func check(_ batch: EntryBatch, entry i: Int, digests: BatchDigests) -> ChainProblem? {
    let item = batch.items[i]
    guard let problem = checkOrder(item.sequence) else {
      if item.redacted {
        guard !item.hasBefore, !item.hasAfter, item.rowsDigest == nil || !item.hasReason else {
          return .badRedaction(sequence: item.sequence)
        }
      } else if !digests.payloadMatches[i] {
        return .payloadEdited(sequence: item.sequence)
      }
      var link = previousHash.bytes
      link += digests.contents[i * 32..<i * 32 + 32]
      guard SHA256.hash(data: link).elementsEqual(batch.storedDigest(at: item.hash)) else {
        return .hashMismatch(sequence: item.sequence)
      }
      advance(
        to: Digest(bytes: Array(batch.storedDigest(at: item.hash))), sequence: item.sequence, redacted: item.redacted)
      return nil
    }
    return problem
  }
}
