import CMEDomain
import Foundation
import GRDB

/// Two child records that are probably the same child.
public struct DuplicatePair: Sendable, Codable {
  /// One record.
  public var first: ChildSummary
  /// The record that may be the same child.
  public var second: ChildSummary
  /// Why they may be the same child.
  public var reasons: [String]
}

extension Register {
  /// Likely duplicate children: the same date of birth and names (as people
  /// write them, forename and surname either way round), or a UPN that is one
  /// child's and another's former UPN. Merged records are left out.
  public func duplicates(by session: Session) throws -> [DuplicatePair] {
    return try read(as: session, needs: .readRegister) { db in
      var byKey: [String: [Int64]] = [:]
      var summaries: [Int64: ChildSummary] = [:]
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT ch.id, ch.legalForename, ch.legalSurname, ch.dateOfBirth, ch.upn,
            (SELECT reference FROM cmeCase c WHERE c.childId = ch.id AND c.status = 'open') AS openCase
          FROM child ch WHERE ch.id NOT IN (SELECT mergedId FROM childMerge)
          """)
      while let r = try cursor.next() {
        let id: Int64 = r["id"]
        let f = NameMatch.key(r["legalForename"])
        let s = NameMatch.key(r["legalSurname"])
        let names = [f, s].sorted().joined(separator: "/")
        byKey["\(r["dateOfBirth"] as String)|\(names)", default: []].append(id)
        summaries[id] = ChildSummary(
          id: id, name: "\(r["legalForename"] as String) \(r["legalSurname"] as String)",
          dateOfBirth: try Register.storedDate(r["dateOfBirth"]),
          upn: r["upn"], openCase: r["openCase"])
      }
      var pairs: [String: DuplicatePair] = [:]
      func add(_ a: Int64, _ b: Int64, _ reason: String) {
        guard let x = summaries[min(a, b)], let y = summaries[max(a, b)] else { return }
        let key = "\(x.id)-\(y.id)"
        pairs[key, default: DuplicatePair(first: x, second: y, reasons: [])].reasons.append(reason)
      }
      for ids in byKey.values where ids.count > 1 {
        for i in ids.indices {
          for j in ids.indices where j > i { add(ids[i], ids[j], "same date of birth and names") }
        }
      }
      for r in try Row.fetchAll(
        db,
        sql:
          "SELECT f.childId AS a, c.id AS b, f.upn FROM childFormerUpn f JOIN child c ON c.upn = f.upn WHERE c.id <> f.childId"
      ) {
        add(r["a"], r["b"], "UPN \(r["upn"] as String) is one's UPN and the other's former UPN")
      }
      return pairs.values.sorted { ($0.first.id, $0.second.id) < ($1.first.id, $1.second.id) }
    }
  }

  /// Merges `other` into `keep`: cases (with their visits, enquiries,
  /// actions and history) move to the kept child, with names, UPNs,
  /// addresses, carers and concerns. Both records as they were go into the
  /// audit entry, so the merge can be undone by hand.
  public func mergeChildren(
    keep keepId: Int64, other otherId: Int64, reason: String, by session: Session, today: LocalDate
  ) throws -> Child {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    guard keepId != otherId else {
      throw InvalidInput(
        field: "OTHER", problem: "a child cannot be merged into itself", fix: "Give two different child ids")
    }
    return try write(as: session, needs: .writeCases) { db, audit in
      for id in [keepId, otherId] {
        if let into = try ChildMergeTable.keptId(for: id, in: db) {
          throw StoreError.conflict("child \(id) was already merged into child \(into)")
        }
      }
      let keep = try Register.child(id: keepId, in: db)
      let other = try Register.child(id: otherId, in: db)
      let open = try String.fetchAll(
        db, sql: "SELECT reference FROM cmeCase WHERE status = 'open' AND childId IN (?, ?)",
        arguments: [keepId, otherId])
      if open.count > 1 {
        throw StoreError.conflict(
          "both children have open cases (\(open.joined(separator: ", "))); close one (e.g. as duplicate-or-error) before merging"
        )
      }
      var merged = keep
      let otherNames = ["\(other.legalForename) \(other.legalSurname)"] + other.formerNames
      merged.formerNames += otherNames.filter { name in
        !merged.formerNames.contains(name) && name != "\(keep.legalForename) \(keep.legalSurname)"
      }
      for upn in [other.upn].compactMap({ $0 }) + other.formerUPNs
      where upn != merged.upn && !merged.formerUPNs.contains(upn) {
        merged.formerUPNs.append(upn)
      }
      if merged.upn == nil, let upn = other.upn {
        merged.upn = upn
        merged.formerUPNs.removeAll { $0 == upn }
      }
      merged.addresses += other.addresses.filter { !merged.addresses.contains($0) }
      merged.carers += other.carers.filter { !merged.carers.contains($0) }
      merged.fsmPeriods += other.fsmPeriods.filter { !merged.fsmPeriods.contains($0) }
      merged.fsmPeriods.sort { ($0.start, $0.country) < ($1.start, $1.country) }
      merged.serviceChild = keep.serviceChild ?? other.serviceChild
      if merged.ethnicity == nil { merged.ethnicitySource = nil }
      merged.concerns.formUnion(other.concerns)
      merged.childProtectionPlan = keep.childProtectionPlan || other.childProtectionPlan
      merged.lookedAfter = keep.lookedAfter || other.lookedAfter
      merged.careAuthority = keep.careAuthority ?? other.careAuthority
      merged.childInNeed = keep.childInNeed || other.childInNeed
      merged.youthJustice = keep.youthJustice || other.youthJustice
      try merged.validate(today: today)
      let seq = audit.nextSequence
      // The other record gives up its lists, its UPN (a UPN belongs to one
      // child) and its cases; the kept record is written whole with them.
      try ChildTable.clearForMerge(otherId, auditSeq: seq, in: db)
      try CaseTable.moveCases(fromChild: otherId, toChild: keepId, auditSeq: seq, in: db)
      // The professionals around the other record work with the same child.
      try db.execute(
        sql: "UPDATE professional SET childId = ?, auditSeq = ? WHERE childId = ?", arguments: [keepId, seq, otherId])
      try ChildTable.rewrite(merged, id: keepId, auditSeq: seq, in: db)
      try ChildMergeTable.record(
        merged: otherId, into: keepId, reason: reason, by: audit.actor.id, at: audit.at, auditSeq: seq, in: db)
      try audit.append(
        action: .childMerge, entity: "child", entityId: String(keepId), childId: keepId, reason: reason,
        before: ["kept": keep, "merged": other], after: ["kept": merged])
      return merged
    }
  }
}
