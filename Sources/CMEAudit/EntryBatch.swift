import Crypto
import Dispatch
import Foundation

/// Consecutive entries of the log, as the register stores them: each
/// column's stored bytes, copied side by side into one buffer, so that a
/// large log is checked without an object, a string or a digest allocated
/// per entry. The bytes the chain hashes (``CanonicalEncoding``) are laid
/// out and hashed by ``digests()`` on every core, so that the reader only
/// copies. ``ChainVerifier/check(_:entry:digests:)`` checks each entry
/// exactly as ``ChainVerifier/check(_:)`` checks a ``SealedEntry``.
public struct EntryBatch: Sendable {
  /// The stored columns an entry is read from.
  public enum Column: Int, CaseIterable, Sendable {
    case at, actor, action, entity, entityId, childId, caseId, reason, before, after, payloadDigest, hash, channel,
      rowsDigest
  }
  static let columnCount = Column.allCases.count

  struct Item: Sendable {
    var sequence: Int64
    var redacted: Bool
  }

  /// Every entry's columns, as stored, one after another.
  var bytes: [UInt8] = []
  /// For entry `i` and column `c`, at `2 * (i * columnCount + c)`: where the
  /// column's bytes start in ``bytes``, and how many there are (-1 for NULL).
  var spans: [Int] = []
  var items: [Item] = []

  public init() {}

  public var count: Int { items.count }
  public var isEmpty: Bool { items.isEmpty }

  public mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    spans.removeAll(keepingCapacity: true)
    items.removeAll(keepingCapacity: true)
  }

  /// The sequence number of entry `i` of the batch.
  public func sequence(_ i: Int) -> Int64 { items[i].sequence }
  /// Whether entry `i`'s payload was redacted.
  public func isRedacted(_ i: Int) -> Bool { items[i].redacted }
  /// Whether entry `i`'s column `c` holds a value (is not NULL).
  func has(_ i: Int, _ c: Column) -> Bool { spans[EntryBatch.span(i, c) + 1] >= 0 }

  /// Where entry `i`'s column `c` is described in ``spans``.
  static func span(_ i: Int, _ c: Column) -> Int { 2 * (i * columnCount + c.rawValue) }

  /// Adds the next entry. `column` gives a column's stored text as UTF-8
  /// (integers as their decimal text), nil for NULL; the bytes need only
  /// live for the call.
  public mutating func append(
    sequence: Int64, redacted: Bool, column: (Column) -> UnsafeBufferPointer<UInt8>?
  ) {
    items.append(Item(sequence: sequence, redacted: redacted))
    for c in Column.allCases {
      if let text = column(c) {
        spans.append(bytes.count)
        spans.append(text.count)
        bytes.append(contentsOf: text)
      } else {
        spans.append(0)
        spans.append(-1)
      }
    }
  }

  /// Each byte's value as a lower-case hex digit; 255 for any other byte.
  private static let nibbles: [UInt8] = (0...255).map { c in
    switch UInt8(c) {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(c) - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(c) - UInt8(ascii: "a") + 10
    default: 255
    }
  }

  /// Each entry's own digests (whether its payload matches, its content
  /// digest, and its stored digests decoded), computed on every core.
  public func digests() -> BatchDigests {
    let n = items.count
    var out = BatchDigests(count: n)
    let chunks = n < 64 ? 1 : Swift.min(n / 16, ProcessInfo.processInfo.activeProcessorCount * 4)
    out.contents.withUnsafeMutableBufferPointer { contents in
      out.hashes.withUnsafeMutableBufferPointer { hashes in
        out.rows.withUnsafeMutableBufferPointer { rows in
          out.payloadMatches.withUnsafeMutableBufferPointer { matches in
            nonisolated(unsafe) let contents = contents
            nonisolated(unsafe) let hashes = hashes
            nonisolated(unsafe) let rows = rows
            nonisolated(unsafe) let matches = matches
            bytes.withUnsafeBufferPointer { bytes in
              spans.withUnsafeBufferPointer { spans in
                EntryBatch.nibbles.withUnsafeBufferPointer { nibbles in
                  nonisolated(unsafe) let bytes = bytes
                  nonisolated(unsafe) let spans = spans
                  nonisolated(unsafe) let nibbles = nibbles
                  DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    var encoder = Encoder(bytes: bytes, spans: spans, nibbles: nibbles)
                    var payload = [UInt8](repeating: 0, count: 32)
                    for i in (chunk * n / chunks)..<((chunk + 1) * n / chunks) {
                      payload.withUnsafeMutableBufferPointer { encoder.decode(i, .payloadDigest, into: $0) }
                      let at = i * 32..<i * 32 + 32
                      encoder.decode(i, .hash, into: UnsafeMutableBufferPointer(rebasing: hashes[at]))
                      encoder.decode(i, .rowsDigest, into: UnsafeMutableBufferPointer(rebasing: rows[at]))
                      let (matchesPayload, content) = encoder.digests(
                        of: i, sequence: items[i].sequence, redacted: items[i].redacted,
                        payloadDigest: payload, rows: UnsafeBufferPointer(rebasing: rows[at]))
                      matches[i] = matchesPayload
                      var j = at.lowerBound
                      for b in content {
                        contents[j] = b
                        j += 1
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// Lays out one entry's bytes as the chain hashes them, in a buffer kept
  /// from entry to entry, and hashes them.
  private struct Encoder {
    let bytes: UnsafeBufferPointer<UInt8>
    let spans: UnsafeBufferPointer<Int>
    let nibbles: UnsafeBufferPointer<UInt8>
    var out: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<Int>, nibbles: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
      self.spans = spans
      self.nibbles = nibbles
      out.reserveCapacity(1024)
    }

    /// Column `c` of entry `i`; nil for NULL.
    func column(_ i: Int, _ c: EntryBatch.Column) -> UnsafeBufferPointer<UInt8>? {
      let k = EntryBatch.span(i, c)
      let count = spans[k + 1]
      guard count >= 0 else { return nil }
      return UnsafeBufferPointer(rebasing: bytes[spans[k]..<spans[k] + count])
    }

    /// Decodes 64 lower-case hex digits into `digest`; 32 zero bytes for
    /// anything else (as a stored digest that is not one is read).
    func decode(_ i: Int, _ c: EntryBatch.Column, into digest: UnsafeMutableBufferPointer<UInt8>) {
      guard let hex = column(i, c), hex.count == 64 else {
        for j in 0..<32 { digest[j] = 0 }
        return
      }
      for j in 0..<32 {
        let h = nibbles[Int(hex[2 * j])]
        let l = nibbles[Int(hex[2 * j + 1])]
        guard h < 16, l < 16 else {
          for j in 0..<32 { digest[j] = 0 }
          return
        }
        digest[j] = h << 4 | l
      }
    }

    /// Whether entry `i`'s payload matches its stored digest (true for a
    /// redacted entry), and its content digest, given its stored payload
    /// and rows digests decoded.
    mutating func digests(
      of i: Int, sequence: Int64, redacted: Bool, payloadDigest: [UInt8], rows: UnsafeBufferPointer<UInt8>
    ) -> (
      Bool, SHA256.Digest
    ) {
      let withRows = column(i, .rowsDigest) != nil
      let channel = column(i, .channel)
      var matches = true
      // The payload: as `CanonicalEncoding.payloadBytes`.
      if !redacted {
        out.removeAll(keepingCapacity: true)
        out += withRows ? CanonicalEncoding.payloadTagWithReason : CanonicalEncoding.payloadTag
        field(column(i, .before))
        field(column(i, .after))
        if withRows { field(column(i, .reason)) }
        matches = out.withUnsafeBytes { SHA256.digest(of: $0) }.elementsEqual(payloadDigest)
      }
      // The content: as `CanonicalEncoding.contentBytes`.
      out.removeAll(keepingCapacity: true)
      out +=
        withRows
        ? CanonicalEncoding.contentTagWithRows
        : channel == nil ? CanonicalEncoding.contentTag : CanonicalEncoding.contentTagWithChannel
      var digits = String(sequence)
      digits.withUTF8 { field($0) }
      for c in [EntryBatch.Column.at, .actor, .action, .entity, .entityId, .childId, .caseId] { field(column(i, c)) }
      if !withRows { field(column(i, .reason)) }
      digest(payloadDigest)
      if withRows {
        field(channel)
        digest(rows)
      } else if let channel {
        field(channel)
      }
      return (matches, out.withUnsafeBytes { SHA256.digest(of: $0) })
    }

    /// A field as `CanonicalEncoding.append` writes it. Text stops at its
    /// first NUL, as the log's text is read elsewhere.
    private mutating func field(_ text: UnsafeBufferPointer<UInt8>?) {
      guard let text else {
        out.append(0)
        return
      }
      let n = text.firstIndex(of: 0) ?? text.count
      out.append(1)
      withUnsafeBytes(of: UInt64(n).bigEndian) { out.append(contentsOf: $0) }
      if n > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<n])) }
    }

    /// A stored digest as a field.
    private mutating func digest(_ bytes: some Collection<UInt8>) {
      out.append(1)
      withUnsafeBytes(of: UInt64(32).bigEndian) { out.append(contentsOf: $0) }
      out += bytes
    }
  }
}

/// The digests ``EntryBatch/digests()`` computes.
public struct BatchDigests: Sendable {
  var payloadMatches: [Bool]
  var contents: [UInt8]
  /// Each entry's stored hash, and its stored rows digest (zero where it
  /// records none), decoded: 32 bytes each.
  var hashes: [UInt8]
  var rows: [UInt8]

  init(count: Int) {
    payloadMatches = Array(repeating: true, count: count)
    contents = Array(repeating: 0, count: count * 32)
    hashes = Array(repeating: 0, count: count * 32)
    rows = Array(repeating: 0, count: count * 32)
  }

  func storedHash(_ i: Int) -> ArraySlice<UInt8> { hashes[i * 32..<i * 32 + 32] }
}

extension EntryBatch {
  /// Entry `i`'s stored rows digest, if it records rows.
  public func rowsDigest(_ i: Int, digests: BatchDigests) -> Digest? {
    has(i, .rowsDigest) ? Digest(bytes: Array(digests.rows[i * 32..<i * 32 + 32])) : nil
  }
}

extension ChainVerifier {
  /// Checks entry `i` of `batch` as the next entry, exactly as
  /// ``check(_:)`` checks a ``SealedEntry``, given the batch's digests.
  public mutating func check(_ batch: EntryBatch, entry i: Int, digests: BatchDigests) -> ChainProblem? {
    let item = batch.items[i]
    guard let problem = checkOrder(item.sequence) else {
      if item.redacted {
        guard !batch.has(i, .before), !batch.has(i, .after), !batch.has(i, .rowsDigest) || !batch.has(i, .reason)
        else {
          return .badRedaction(sequence: item.sequence)
        }
      } else if !digests.payloadMatches[i] {
        return .payloadEdited(sequence: item.sequence)
      }
      let stored = digests.storedHash(i)
      let linked = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { link in
        _ = link.initialize(from: previousHash.bytes)
        _ = UnsafeMutableBufferPointer(rebasing: link[32...]).initialize(from: digests.contents[i * 32..<i * 32 + 32])
        return SHA256.digest(of: UnsafeRawBufferPointer(link))
      }
      guard linked.elementsEqual(stored) else {
        return .hashMismatch(sequence: item.sequence)
      }
      advance(to: Digest(bytes: Array(stored)), sequence: item.sequence, redacted: item.redacted)
      return nil
    }
    return problem
  }
}
