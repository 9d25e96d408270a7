/// Sealing and checking entries of the hash chain.
public enum AuditChain {
  public static func payloadDigest(before: String?, after: String?) -> Digest {
    Digest.sha256(CanonicalEncoding.payloadBytes(before: before, after: after))
  }

  /// The payload digest in the entry's own layout: `before`, `after`, and for
  /// an entry that records rows its `reason` too.
  public static func payloadDigest(of e: AuditEntry) -> Digest {
    e.rowsDigest == nil
      ? payloadDigest(before: e.before, after: e.after)
      : Digest.sha256(CanonicalEncoding.payloadBytes(before: e.before, after: e.after, reason: e.reason))
  }

  public static func contentDigest(_ entry: AuditEntry, payloadDigest: Digest) -> Digest {
    Digest.sha256(CanonicalEncoding.contentBytes(entry, payloadDigest: payloadDigest))
  }

  public static func link(previous: Digest, content: Digest) -> Digest {
    Digest.sha256(previous.bytes + content.bytes)
  }

  /// Seals a new entry onto a chain whose last hash is `previous`.
  public static func seal(_ entry: AuditEntry, after previous: Digest) -> SealedEntry {
    let payload = payloadDigest(of: entry)
    let hash = link(previous: previous, content: contentDigest(entry, payloadDigest: payload))
    return SealedEntry(entry: entry, payloadDigest: payload, hash: hash)
  }
}

/// What is wrong with the log at one entry.
public enum ChainProblem: Error, Equatable, Sendable, CustomStringConvertible {
  /// The log does not start at entry 1.
  case missingStart(found: Int64)
  /// Entries between `expected` and `found` are missing, or the order was changed.
  case gap(expected: Int64, found: Int64)
  /// The payload no longer matches its digest: `before`/`after` were edited.
  case payloadEdited(sequence: Int64)
  /// The stored hash does not match the recomputed one: the entry was edited,
  /// or an entry before it was removed or replaced.
  case hashMismatch(sequence: Int64)
  /// A redacted entry still holds a payload, or an unredacted one holds none.
  case badRedaction(sequence: Int64)

  public var sequence: Int64 {
    switch self {
    case .missingStart(let found): found
    case .gap(_, let found): found
    case .payloadEdited(let s), .hashMismatch(let s), .badRedaction(let s): s
    }
  }

  public var description: String {
    switch self {
    case .missingStart(let found):
      "entry \(found): the log starts here, but it must start at entry 1 (earlier entries were deleted)"
    case .gap(let expected, let found):
      found > expected
        ? "entry \(found): follows entry \(expected - 1); entries \(expected)–\(found - 1) were deleted"
        : "entry \(found): out of order after entry \(expected - 1) (entries were reordered or renumbered)"
    case .payloadEdited(let s):
      "entry \(s): its before/after values were changed after it was written"
    case .hashMismatch(let s):
      "entry \(s): its hash does not match its content and the entry before it (the entry was edited, or the one before it was replaced)"
    case .badRedaction(let s):
      "entry \(s): its redaction marker does not match its payload"
    }
  }
}

/// Checks a log entry by entry, in sequence order, without holding it in memory.
public struct ChainVerifier: Sendable {
  public private(set) var previousHash = Digest.zero
  public private(set) var lastSequence: Int64 = 0
  public private(set) var count = 0
  public private(set) var redactedCount = 0

  public init() {}

  /// Checks the next entry; returns the first problem with it, if any.
  public mutating func check(_ sealed: SealedEntry) -> ChainProblem? {
    check(sealed, digests: EntryDigests(of: sealed))
  }

  /// Checks the next entry given its own digests (``EntryDigests``, which
  /// may have been computed elsewhere, in parallel).
  public mutating func check(_ sealed: SealedEntry, digests: EntryDigests) -> ChainProblem? {
    let e = sealed.entry
    if let problem = checkOrder(e.sequence) { return problem }
    if sealed.redacted {
      guard e.before == nil, e.after == nil, e.rowsDigest == nil || e.reason == nil else {
        return .badRedaction(sequence: e.sequence)
      }
    } else if !digests.payloadMatches {
      return .payloadEdited(sequence: e.sequence)
    }
    let expected = AuditChain.link(previous: previousHash, content: digests.content)
    guard expected == sealed.hash else { return .hashMismatch(sequence: e.sequence) }
    advance(to: sealed.hash, sequence: e.sequence, redacted: sealed.redacted)
    return nil
  }

  /// The problem, if any, with `sequence` coming next.
  func checkOrder(_ sequence: Int64) -> ChainProblem? {
    if lastSequence == 0 && sequence != 1 { return .missingStart(found: sequence) }
    if lastSequence != 0 && sequence != lastSequence + 1 {
      return .gap(expected: lastSequence + 1, found: sequence)
    }
    return nil
  }

  /// Takes an entry that checked out as the chain's new head.
  mutating func advance(to hash: Digest, sequence: Int64, redacted: Bool) {
    if redacted { redactedCount += 1 }
    previousHash = hash
    lastSequence = sequence
    count += 1
  }
}

/// An entry's own digests, which do not depend on the entries before it:
/// whether its payload matches its payload digest, and its content digest.
public struct EntryDigests: Sendable {
  public let payloadMatches: Bool
  public let content: Digest

  public init(of sealed: SealedEntry) {
    payloadMatches = sealed.redacted || AuditChain.payloadDigest(of: sealed.entry) == sealed.payloadDigest
    content = AuditChain.contentDigest(sealed.entry, payloadDigest: sealed.payloadDigest)
  }
}
