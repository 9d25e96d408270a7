import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// Removing an entry's payload: only by two managers, and only that.
struct RedactionTests {
  @Test func two_managers_redact_an_entry_and_the_log_still_verifies() throws {
    let t = try TestRegister()
    _ = try t.openCase { $0.legalForename = "Wrongchild" }
    let r = t.register
    let entry = Int64(
      try sqlite3(t.path, "SELECT seq FROM auditEntry WHERE action = 'child.add';").output
        .trimmingCharacters(in: .whitespacesAndNewlines))!
    let asked = try r.requestRedaction(of: entry, reason: "recorded against the wrong child", by: r.session("mgr"))
    #expect(throws: StoreError.self) { try r.approveRedaction(asked.request, by: r.session("mgr")) }
    #expect(throws: AccessDenied.self) { try r.approveRedaction(asked.request, by: r.session("cw")) }
    let done = try r.approveRedaction(asked.request, by: r.session("mgr2"))
    #expect(done.entry == entry)
    let payload = try sqlite3(t.path, "SELECT ifnull(after, 'NULL') || redacted FROM auditEntry WHERE seq = \(entry);")
    #expect(payload.output.hasPrefix("NULL1"))
    #expect(try r.verifyAudit(by: r.session("mgr")).isIntact)
    #expect(
      try sqlite3(t.path, "SELECT count(*) FROM auditEntry WHERE after LIKE '%Wrongchild%';").output.hasPrefix("0"))
  }

  @Test func a_bare_redaction_is_tampering() throws {
    let t = try TestRegister()
    _ = try t.openCase()
    let r = t.register
    // The trigger allows the change a redaction makes, so no trigger need be
    // dropped: only the missing audit.redact entry gives it away.
    let result = try sqlite3(
      t.path, "UPDATE auditEntry SET before = NULL, after = NULL, redacted = 1 WHERE action = 'child.add';")
    #expect(result.status == 0, "\(result.output)")
    let v = try r.verifyAudit(by: r.session("mgr"))
    #expect(v.problem?.contains("no approved redaction (audit.redact) covers it") == true, "\(v.problem ?? "")")
  }

  /// Redactions are gathered as the log is read, and come after the entries
  /// they cover: a bare redaction is still named at its own entry, before a
  /// problem further on, and an approved one still checks out wherever its
  /// redaction lies.
  @Test func a_bare_redaction_is_named_before_a_later_edit_and_an_approved_one_still_passes() throws {
    let t = try TestRegister()
    _ = try t.openCase { $0.legalForename = "Wrongchild" }
    _ = try t.openCase { $0.legalForename = "Otherchild" }
    let r = t.register
    func seq(_ sql: String) throws -> Int64 {
      Int64(try sqlite3(t.path, sql).output.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
    let approved = try seq("SELECT min(seq) FROM auditEntry WHERE action = 'child.add';")
    let asked = try r.requestRedaction(of: approved, reason: "recorded against the wrong child", by: r.session("mgr"))
    _ = try r.approveRedaction(asked.request, by: r.session("mgr2"))
    #expect(try r.verifyAudit(by: r.session("mgr"), chainOnly: true).isIntact)
    #expect(try r.verifyAudit(by: r.session("mgr")).isIntact)

    let bare = try seq("SELECT max(seq) FROM auditEntry WHERE action = 'child.add';")
    #expect(
      try sqlite3(t.path, "UPDATE auditEntry SET before = NULL, after = NULL, redacted = 1 WHERE seq = \(bare);")
        .status == 0)
    for chainOnly in [true, false] {
      let v = try r.verifyAudit(by: r.session("mgr"), chainOnly: chainOnly)
      #expect(v.badSequence == bare)
      #expect(v.entriesChecked == Int(bare) - 1)
      #expect(v.problem?.hasPrefix("entry \(bare): its payload was removed, but no approved redaction") == true)
    }
    // An entry after it edited as well: the earlier problem is still the one named.
    let head = try seq("SELECT max(seq) FROM auditEntry;")
    try sqlite3(
      t.path,
      "DROP TRIGGER auditEntry_noUpdate; UPDATE auditEntry SET actor = 'someone else' WHERE seq = \(head);")
    for chainOnly in [true, false] {
      let v = try r.verifyAudit(by: r.session("mgr"), chainOnly: chainOnly)
      #expect(v.badSequence == bare)
      #expect(v.problem?.hasPrefix("entry \(bare): its payload was removed") == true, "\(v.problem ?? "")")
    }
  }

  /// The chain hashes a text up to its first NUL, and the log's text is
  /// read that way everywhere: so is an approved redaction's record of what
  /// it covers.
  @Test func an_approved_redaction_still_covers_its_entry_with_bytes_after_a_nul() throws {
    let t = try TestRegister()
    _ = try t.openCase()
    let r = t.register
    let entry = Int64(
      try sqlite3(t.path, "SELECT min(seq) FROM auditEntry WHERE action = 'child.add';").output
        .trimmingCharacters(in: .whitespacesAndNewlines))!
    let asked = try r.requestRedaction(of: entry, reason: "recorded against the wrong child", by: r.session("mgr"))
    _ = try r.approveRedaction(asked.request, by: r.session("mgr2"))
    let trigger = try sqlite3(t.path, "SELECT sql FROM sqlite_master WHERE name = 'auditEntry_noUpdate';").output
    let edit = try sqlite3(
      t.path,
      """
      DROP TRIGGER auditEntry_noUpdate;
      UPDATE auditEntry SET after = after || char(0) || 'x' WHERE action = 'audit.redact';
      \(trigger.trimmingCharacters(in: .whitespacesAndNewlines));
      SELECT count(*) FROM auditEntry WHERE action = 'audit.redact' AND instr(after, char(0)) > 0;
      """)
    #expect(edit.status == 0 && edit.output.contains("1"), "\(edit.output)")
    for chainOnly in [true, false] {
      let v = try r.verifyAudit(by: r.session("mgr"), chainOnly: chainOnly)
      #expect(v.isIntact, "\(v.problem ?? "")")
    }
  }

  /// A bare redaction is named even when reading further on fails (a row
  /// record that cannot be read), as it was named before reading on.
  @Test func a_bare_redaction_is_named_before_an_unreadable_record_further_on() throws {
    let t = try TestRegister()
    _ = try t.openCase()
    _ = try t.openCase()
    let r = t.register
    let bare = Int64(
      try sqlite3(t.path, "SELECT min(seq) FROM auditEntry WHERE action = 'child.add';").output
        .trimmingCharacters(in: .whitespacesAndNewlines))!
    let edit = try sqlite3(
      t.path,
      """
      UPDATE auditEntry SET before = NULL, after = NULL, redacted = 1 WHERE seq = \(bare);
      DROP TRIGGER auditRow_noUpdate;
      PRAGMA ignore_check_constraints = 1;
      UPDATE auditRow SET op = 'z', digest = NULL WHERE seq = (SELECT max(seq) FROM auditRow);
      """)
    #expect(edit.status == 0, "\(edit.output)")
    let v = try r.verifyAudit(by: r.session("mgr"))
    #expect(v.badSequence == bare)
    #expect(v.problem?.hasPrefix("entry \(bare): its payload was removed") == true, "\(v.problem ?? "")")
  }

  @Test func any_other_change_to_an_entry_is_still_refused() throws {
    let t = try TestRegister()
    let edit = try sqlite3(
      t.path, "UPDATE auditEntry SET actor = 'x', redacted = 1, before = NULL, after = NULL WHERE seq = 2;")
    #expect(edit.status != 0)
    #expect(edit.output.contains("the audit log is append-only"))
  }

  @Test func the_logs_own_history_cannot_be_redacted() throws {
    let t = try TestRegister()
    #expect(throws: StoreError.self) {
      try t.register.requestRedaction(of: 1, reason: "x", by: t.register.session("mgr"))
    }
  }
}
