import CMEAudit
import Testing

/// The fast path (`EntryBatch`: the stored bytes, digests on every core) must
/// find exactly what the entry-by-entry check finds, at the same entry.
struct EntryBatchTests {
  /// SplitMix64: the same logs on every run.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// A log mixing the three layouts (no channel; a channel; rows recorded),
  /// with redactions, NULLs and non-ASCII text.
  func log(_ n: Int, rng: inout some RandomNumberGenerator) -> [SealedEntry] {
    var previous = Digest.zero
    return (1...n).map { i in
      let layout = Int.random(in: 0..<3, using: &rng)
      let e = AuditEntry(
        sequence: Int64(i), at: "2026-11-16T09:00:00.\(i % 1000)Z",
        actor: ["cw", "mgr", "Zoë Ó Briain"].randomElement(using: &rng)!,
        action: "case.open", entity: "case", entityId: "CME-2026-\(i)",
        childId: Bool.random(using: &rng) ? Int64(i) : nil, caseId: Bool.random(using: &rng) ? Int64(-i) : nil,
        reason: Bool.random(using: &rng) ? "because — \(i)" : nil,
        before: Bool.random(using: &rng) ? "{\"n\":\(i - 1)}" : nil,
        after: Bool.random(using: &rng) ? "{\"n\":\(i)}" : nil,
        channel: layout == 0 ? nil : "command line (cw)",
        rowsDigest: layout == 2 ? Digest.sha256(Array("rows \(i)".utf8)) : nil)
      var sealed = AuditChain.seal(e, after: previous)
      previous = sealed.hash
      if Int.random(in: 0..<10, using: &rng) == 0 {
        sealed.entry.before = nil
        sealed.entry.after = nil
        if sealed.entry.rowsDigest != nil { sealed.entry.reason = nil }
        sealed.redacted = true
      }
      return sealed
    }
  }

  func slow(_ log: [SealedEntry]) -> (ChainProblem?, Int, Digest) {
    var v = ChainVerifier()
    for e in log { if let p = v.check(e) { return (p, v.count, v.previousHash) } }
    return (nil, v.count, v.previousHash)
  }

  /// The stored text of each column, as the register holds it.
  func fast(_ log: [SealedEntry], batchSize: Int) -> (ChainProblem?, Int, Digest) {
    var v = ChainVerifier()
    var batch = EntryBatch()
    for start in stride(from: 0, to: log.count, by: batchSize) {
      batch.removeAll()
      for sealed in log[start..<min(start + batchSize, log.count)] {
        let e = sealed.entry
        let texts: [EntryBatch.Column: String?] = [
          .at: e.at, .actor: e.actor, .action: e.action, .entity: e.entity, .entityId: e.entityId,
          .childId: e.childId.map(String.init), .caseId: e.caseId.map(String.init), .reason: e.reason,
          .before: e.before, .after: e.after, .payloadDigest: sealed.payloadDigest.hex, .hash: sealed.hash.hex,
          .channel: e.channel, .rowsDigest: e.rowsDigest?.hex,
        ]
        // Each column's bytes in memory of their own, freed after the call.
        let storage = texts.mapValues { text in
          text.map { text in
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, text.utf8.count))
            _ = bytes.initialize(from: text.utf8)
            return UnsafeBufferPointer(rebasing: bytes[0..<text.utf8.count])
          }
        }
        defer { for case let bytes? in storage.values { bytes.deallocate() } }
        batch.append(sequence: e.sequence, redacted: sealed.redacted) { storage[$0] ?? nil }
      }
      let digests = batch.digests()
      for i in 0..<batch.count {
        if let p = v.check(batch, entry: i, digests: digests) { return (p, v.count, v.previousHash) }
      }
    }
    return (nil, v.count, v.previousHash)
  }

  @Test func an_intact_log_checks_the_same_both_ways() {
    var rng = Seeded(state: 1)
    let entries = log(500, rng: &rng)
    let (problem, count, head) = fast(entries, batchSize: 64)
    #expect(problem == nil)
    #expect(count == 500)
    #expect(head == entries.last!.hash)
  }

  @Test(arguments: 0..<40)
  func tampering_is_found_at_the_same_entry_both_ways(seed: Int) {
    var rng = Seeded(state: UInt64(seed) + 100)
    var entries = log(300, rng: &rng)
    // (Not the last entry: a log cut at its end keeps a valid chain, which the
    // register finds by other means.)
    let at = Int.random(in: 0..<entries.count - 1, using: &rng)
    switch seed % 8 {
    case 0: entries[at].entry.actor += "x"
    case 1: entries[at].entry.after = (entries[at].entry.after ?? "") + " "
    case 2: entries[at].entry.reason = entries[at].entry.reason == nil ? "" : nil
    case 3: entries.remove(at: at)
    case 4: entries.swapAt(at, (at + 1) % entries.count)
    case 5: entries[at].entry.childId = (entries[at].entry.childId ?? 0) + 1
    case 6:
      // Marked redacted while it still holds a payload, or unmarked.
      entries[at].redacted.toggle()
      if entries[at].redacted { entries[at].entry.after = "{}" }
    default: entries[at].entry.channel = entries[at].entry.channel == nil ? "web session x" : nil
    }
    let slow = slow(entries)
    let fast = fast(entries, batchSize: [1, 7, 64, 4096][seed % 4])
    #expect(slow.0 != nil)
    #expect(fast.0 == slow.0)
    #expect(fast.1 == slow.1)
    #expect(fast.2 == slow.2)
  }

  @Test func a_stored_digest_that_is_not_hex_reads_as_zero_both_ways() {
    var rng = Seeded(state: 7)
    var entries = log(20, rng: &rng)
    entries[9].payloadDigest = .zero  // as "not hex" reads
    #expect(fast(entries, batchSize: 8).0 == slow(entries).0)
  }
}
