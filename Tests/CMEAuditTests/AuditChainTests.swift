import CMEAudit
import Testing

struct AuditChainTests {
  func entries(_ n: Int) -> [SealedEntry] {
    var previous = Digest.zero
    return (1...n).map { i in
      let e = AuditEntry(
        sequence: Int64(i), at: "2026-11-16T09:00:0\(i % 10).000Z", actor: "cw", action: "case.open", entity: "case",
        entityId: "CME-2026-0000\(i)", childId: Int64(i), caseId: Int64(i), reason: i % 2 == 0 ? "because" : nil,
        before: nil, after: "{\"n\":\(i)}")
      let sealed = AuditChain.seal(e, after: previous)
      previous = sealed.hash
      return sealed
    }
  }

  func verify(_ log: [SealedEntry]) -> ChainProblem? {
    var v = ChainVerifier()
    for e in log { if let p = v.check(e) { return p } }
    return nil
  }

  @Test func sha256_is_the_standard_one() {
    #expect(Digest.sha256(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(Digest(hex: Digest.zero.hex) == .zero)
    #expect(Digest(hex: "xyz") == nil)
  }

  @Test func an_intact_log_verifies() {
    var v = ChainVerifier()
    for e in entries(20) { #expect(v.check(e) == nil) }
    #expect(v.count == 20)
    #expect(v.lastSequence == 20)
  }

  @Test func the_encoding_is_unambiguous() {
    let a = AuditEntry(sequence: 1, at: "t", actor: "ab", action: "c", entity: "e", entityId: "1")
    let b = AuditEntry(sequence: 1, at: "t", actor: "a", action: "bc", entity: "e", entityId: "1")
    let p = AuditChain.payloadDigest(before: nil, after: nil)
    #expect(AuditChain.contentDigest(a, payloadDigest: p) != AuditChain.contentDigest(b, payloadDigest: p))
    // Absent and empty are different.
    #expect(AuditChain.payloadDigest(before: nil, after: "x") != AuditChain.payloadDigest(before: "", after: "x"))
  }

  @Test func the_channel_is_hashed_and_entries_without_one_keep_the_first_layout() {
    let p = AuditChain.payloadDigest(before: nil, after: nil)
    let old = AuditEntry(sequence: 1, at: "t", actor: "a", action: "c", entity: "e", entityId: "1")
    var web = old
    web.channel = "web session 0123456789abcdef"
    var cli = old
    cli.channel = "command line (root)"
    #expect(CanonicalEncoding.contentBytes(old, payloadDigest: p).starts(with: Array("cme-audit-v1".utf8)))
    #expect(CanonicalEncoding.contentBytes(web, payloadDigest: p).starts(with: Array("cme-audit-v2".utf8)))
    let digests = Set([old, web, cli].map { AuditChain.contentDigest($0, payloadDigest: p) })
    #expect(digests.count == 3)
    var log = entries(3)
    log[1].entry.channel = "command line (someone)"
    #expect(verify(log) != nil)
  }

  @Test func an_edited_payload_is_named() {
    var log = entries(5)
    log[2].entry.after = "{\"n\":999}"
    #expect(verify(log) == .payloadEdited(sequence: 3))
  }

  @Test func an_edited_field_is_named() {
    var log = entries(5)
    log[3].entry.actor = "someone-else"
    #expect(verify(log) == .hashMismatch(sequence: 4))
    #expect(ChainProblem.hashMismatch(sequence: 4).description.hasPrefix("entry 4: its hash does not match"))
  }

  @Test func a_deleted_entry_is_named() {
    var log = entries(5)
    log.remove(at: 1)
    #expect(verify(log) == .gap(expected: 2, found: 3))
    #expect(ChainProblem.gap(expected: 2, found: 3).description == "entry 3: follows entry 1; entries 2–2 were deleted")
  }

  @Test func a_deleted_first_entry_is_named() {
    var log = entries(3)
    log.removeFirst()
    #expect(verify(log) == .missingStart(found: 2))
  }

  @Test func reordered_entries_are_named() {
    var log = entries(5)
    // Swap two entries and renumber them, as someone hiding the swap would.
    log.swapAt(1, 2)
    log[1].entry.sequence = 2
    log[2].entry.sequence = 3
    #expect(verify(log) == .hashMismatch(sequence: 2))
  }

  @Test func a_rewritten_and_resealed_entry_breaks_the_next_link() {
    var log = entries(5)
    // Rewrite entry 2 and reseal it properly: entry 3 no longer links to it.
    log[1].entry.reason = "covered up"
    log[1] = AuditChain.seal(log[1].entry, after: log[0].hash)
    #expect(verify(log) == .hashMismatch(sequence: 3))
  }

  @Test func a_redacted_payload_still_verifies_through_its_digest() {
    var log = entries(4)
    log[1].entry.after = nil
    log[1].redacted = true
    var v = ChainVerifier()
    for e in log { #expect(v.check(e) == nil) }
    #expect(v.redactedCount == 1)
  }
}

struct RowDigestTests {
  let row: [(name: String, value: RowValue)] = [("id", .integer(1)), ("name", .text("Ann")), ("note", .null)]

  @Test func a_rows_digest_does_not_depend_on_column_order_and_leaves_out_nulls() {
    let d = RowDigest.of(table: "child", columns: row)
    #expect(d == RowDigest.of(table: "child", columns: row.reversed()))
    #expect(d == RowDigest.of(table: "child", columns: Array(row.prefix(2))))
  }

  @Test func every_value_its_type_its_column_and_its_table_count() {
    let d = RowDigest.of(table: "child", columns: row)
    #expect(d != RowDigest.of(table: "carer", columns: row))
    #expect(d != RowDigest.of(table: "child", columns: [("id", .text("1")), ("name", .text("Ann"))]))
    #expect(d != RowDigest.of(table: "child", columns: [("id", .integer(1)), ("name", .text("Anne"))]))
    #expect(d != RowDigest.of(table: "child", columns: [("id", .integer(1)), ("nam", .text("eAnn"))]))
    #expect(d != RowDigest.of(table: "child", columns: [("id", .integer(1)), ("name", .text("Ann")), ("x", .real(0))]))
  }

  @Test func an_entrys_records_digest_covers_each_record_and_their_order() {
    let a = RowRecord(table: "child", key: .integer(1), key2: .text(""), operation: .wrote, digest: .zero)
    let b = RowRecord(table: "child", key: .integer(2), key2: .text(""), operation: .deleted, digest: nil)
    func digest(_ records: [RowRecord]) -> Digest {
      var d = RowRecordsDigest()
      for r in records { d.add(r) }
      return d.finish()
    }
    #expect(digest([]) != digest([a]))
    #expect(digest([a, b]) != digest([b, a]))
    #expect(digest([a, b]) != digest([a]))
    var changed = a
    changed.operation = .deleted
    changed.digest = nil
    #expect(digest([a]) != digest([changed]))
  }
}
