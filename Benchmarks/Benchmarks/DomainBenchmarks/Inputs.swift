import CMEAudit
import CMEDomain

/// The benchmarks' inputs, made from fixed seeds.
enum Inputs {
  static let today = LocalDate(year: 2026, month: 11, day: 30)!

  /// A deletion-returns file of `rows` rows: 70% with a UPN, grounds G, I,
  /// H, O, A and F in a year's proportions.
  static func deletionReturns(rows: Int) -> [UInt8] {
    var rng = SeededRandom(seed: 1)
    let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
    let forenames = [
      "Olivia", "Amelia", "Isla", "Noah", "Oliver", "George", "Muhammad", "Aisha", "Jakub", "Zuzanna", "Tyrese",
      "Hodan", "Levi", "Ruby",
    ]
    let surnames = [
      "Smith", "Jones", "Patel", "Khan", "Ward", "Kowalska", "Hassan", "Lovell", "O'Brien", "Okafor", "Nowak", "Begum",
    ]
    let grounds =
      Array(repeating: "G", count: 35) + Array(repeating: "I", count: 25) + Array(repeating: "H", count: 10)
      + Array(repeating: "O", count: 10) + Array(repeating: "A", count: 10) + Array(repeating: "F", count: 10)
    var text =
      "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,"
      + "parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date\n"
    for i in 0..<rows {
      let digits = "892" + String(repeating: "0", count: 9 - String(i).count) + String(i)
      let sum = digits.enumerated().reduce(0) { $0 + ($1.offset + 2) * Int(String($1.element))! }
      let upn = rng.chance(0.7) ? String(letters[sum % 23]) + digits : ""
      let born = "\(rng.int(2010...2020))-\(two(rng.int(1...12)))-\(two(rng.int(1...28)))"
      let ground = rng.pick(grounds)
      let destination = ground == "A" ? "\"1 New Road, Leeds\",Leeds Academy,2026-11-16" : ",,"
      text +=
        "\(upn),\(rng.pick(surnames))-\(i),\(rng.pick(forenames)),\(born),\(rng.pick(["M", "F"])),"
        + "\"\(i % 200) High Street, Nottingham\",NG\(i % 25 + 1) \(i % 9 + 1)AB,892/4001,2026-11-16,\(ground),"
        + "2026-10-01,Parent \(i),,07700 900\(String(i % 1000 + 1000).dropFirst()),\(destination)\n"
    }
    return Array(text.utf8)
  }

  private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  /// Lines like the register check's export: references, ratings, dates,
  /// names (some with commas, quotes or accents) and free-text notes.
  static func exportLines(_ n: Int) -> [[String]] {
    var rng = SeededRandom(seed: 2)
    let names = ["Tommy Ward", "Zoë Ó Briain", "Amelia \"Millie\" Smith", "Kowalska, Zuzanna", "Muhammad Khan"]
    let notes = ["", "Family left suddenly; neighbours say Leeds", "=HYPERLINK(\"x\")", "Seen at home, well"]
    return (0..<n).map { i in
      [
        "CME-2026-\(i)", rng.pick(["red", "amber", "green"]), rng.pick(names), "2026-10-\(i % 28 + 1)",
        rng.pick(["yes", "no"]), "\(i % 90)", rng.pick(notes), "a.khan",
      ]
    }
  }

  /// Each case of a demo register with its casework, as the register keeps
  /// it for the assessment.
  static func caseFacts(children: Int) -> [CaseFacts] {
    let demo = DemoRegister(
      children: children, seed: 3, asOf: today, caseworkers: ["a.khan", "b.okafor"], manager: "m.jones")
    var facts: [CaseFacts] = []
    for entry in demo {
      for c in entry.cases {
        var w = CaseFacts.Casework()
        w.firstHomeVisit = c.visits.filter { $0.type == .homeVisit }.map(\.date).min()
        w.lastSeen = c.visits.filter { $0.childSeen == true }.map(\.date).max()
        w.lastContact = c.visits.max { ($0.date, $0.time ?? "") < ($1.date, $1.time ?? "") }
        w.liveActionsDue = c.actions.map(\.action).filter { $0.state == .open || $0.state == .accepted }.map(\.dueOn)
        w.enquiriesDone = Set(c.enquiries.filter { $0.on != nil }.map(\.item))
        w.enquiriesNotApplicable = Set(c.enquiries.filter { $0.on == nil }.map(\.item))
        w.fairAccessReferredOn = c.fairAccessReferred
        facts.append(CaseFacts(caseRecord: c.record, child: entry.child, casework: w))
      }
    }
    return facts
  }

  /// Log entries of the three layouts, with and without payloads.
  static func auditEntries(_ n: Int) -> [AuditEntry] {
    (1...n).map(auditEntry)
  }

  private static func auditEntry(_ i: Int) -> AuditEntry {
    let after = #"{"date":"2026-11-30","outcome":"No answer; card left","type":"home-visit"}"#
    let rows: Digest? = i % 4 == 0 ? Digest.sha256(Array("rows \(i)".utf8)) : nil
    let reason: String? = i % 3 == 0 ? "home visit, no answer" : nil
    let channel: String? = i % 2 == 0 ? "command line (a.khan)" : nil
    return AuditEntry(
      sequence: Int64(i), at: "2026-11-30T09:00:00.\(i % 1000)Z", actor: "a.khan", action: "case.visit",
      entity: "case", entityId: "CME-2026-\(i)", childId: Int64(i), caseId: Int64(i), reason: reason,
      before: nil, after: after, channel: channel, rowsDigest: rows)
  }

  static func sealed(_ entries: [AuditEntry]) -> [SealedEntry] {
    var previous = Digest.zero
    return entries.map { e in
      let s = AuditChain.seal(e, after: previous)
      previous = s.hash
      return s
    }
  }

  /// The entries as the register stores them, read into a batch.
  static func batch(_ sealed: [SealedEntry]) -> EntryBatch {
    var batch = EntryBatch()
    for s in sealed {
      let e = s.entry
      let texts: [EntryBatch.Column: String?] = [
        .at: e.at, .actor: e.actor, .action: e.action, .entity: e.entity, .entityId: e.entityId,
        .childId: e.childId.map(String.init), .caseId: e.caseId.map(String.init), .reason: e.reason,
        .before: e.before, .after: e.after, .payloadDigest: s.payloadDigest.hex, .hash: s.hash.hex,
        .channel: e.channel, .rowsDigest: e.rowsDigest?.hex,
      ]
      // Each column's bytes in memory of their own, as SQLite hands them over.
      let storage = texts.compactMapValues { $0 }.mapValues { text in
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, text.utf8.count))
        _ = bytes.initialize(from: text.utf8)
        return UnsafeBufferPointer(rebasing: bytes[0..<text.utf8.count])
      }
      defer { for bytes in storage.values { UnsafeMutableBufferPointer(mutating: bytes).deallocate() } }
      batch.append(sequence: e.sequence, redacted: s.redacted) { storage[$0] }
    }
    return batch
  }
}
