import Foundation

/// Renders a board pack as self-contained HTML (inline CSS and SVG, no
/// scripts, prints on A4), Markdown, or CSV. Pure: same pack, same bytes.
/// Every format starts with the protective marking of the parts it holds.
public enum PackRenderer {
  // MARK: - CSV (also the canonical text the data digest is taken over)

  /// Every figure of the pack as CSV rows `section,item,column,value`, the
  /// protective marking first. With `digest` nil (and both parts) it is the
  /// canonical text whose SHA-256 is the pack's data digest.
  public static func csv(_ p: BoardPack, digest: String?, part: BoardPack.Part = .both) -> String {
    var rows: [[String]] = [["section", "item", "column", "value"]]
    func add(_ a: String, _ b: String, _ c: String, _ d: String) { rows.append([a, b, c, d]) }
    add("marking", "", "", p.marking(part))
    add("pack", "authority", "", p.authority)
    add("pack", "meeting", "", "\(p.meeting.id) \(p.meeting.date)")
    add("pack", "as of audit entry", "", "\(p.logSequence) \(p.logHash)")
    if let digest { add("pack", "data digest", "sha256", digest) }
    add("pack", "small numbers", "", p.policy.statement)
    add("pack", "identifiable", "", p.identifiable ? "yes" : "no")
    if part.hasA {
      for (i, s) in p.summary.enumerated() { add("summary", String(i + 1), "", s) }
      for (i, s) in p.exceptions.enumerated() { add("exceptions", String(i + 1), "", s) }
      for h in p.headline { add("headline", h.label, h.note, h.value) }
      for t in p.trend {
        add("trend", t.month, "open", p.text(t.open))
        add("trend", t.month, "a year earlier", p.text(t.lastYear))
      }
      for m in p.measures { add("measures", m.label, m.note, m.value) }
      for d in p.directions {
        add("direction of travel", d.measure, "now", d.now)
        add("direction of travel", d.measure, "last meeting", d.lastMeeting)
        add("direction of travel", d.measure, "change", d.change)
        add("direction of travel", d.measure, "target", d.target.map(String.init) ?? "–")
      }
      for b in p.breakdowns {
        for r in 0...b.table.rows.count where r < b.table.rows.count || b.showTotal {
          for c in 0...b.table.columns.count where b.table.columns.count > 1 || c == 0 {
            let rowName = r == b.table.rows.count ? "total" : b.table.rows[r]
            let colName = c == b.table.columns.count ? "total" : b.table.columns[c]
            add(b.title, rowName, colName, b.table.text(row: r, column: c))
          }
        }
      }
      for e in p.equality {
        let v = p.published(e)
        let item = "\(e.characteristic): \(e.d.group)"
        add("equality", item, "register", v.count)
        add("equality", item, "register share", v.registerShare)
        add("equality", item, "population share", v.populationShare)
        add("equality", item, "ratio", v.ratio)
        add("equality", item, "95% CI", v.interval)
      }
      for c in p.callouts { add("equality", "over-represented", "", c) }
      for c in p.alsoAboveOne { add("equality", "above 1, under the threshold", "", c) }
      if let note = p.dataQualityNote { add("equality", "data quality", "", note) }
      add("register check", "current cycle", "", p.cycleLine)
    }
    if part.hasB {
      for (i, a) in p.agenda.enumerated() {
        let item = "\(i + 1) \(a.reference)"
        add("decision agenda", item, "rag", a.rag?.rawValue ?? "not rated")
        add("decision agenda", item, "why", a.why.joined(separator: "; "))
        add("decision agenda", item, "decision sought", a.decisionSought)
        add("decision agenda", item, "previous decision", a.previousDecision)
        if let id = a.identity { add("decision agenda", item, "identity", id) }
      }
      for d in p.previousDecisions {
        add("previous decisions", d.reference, d.decision, "\(d.summary)\(d.note.map { " — \($0)" } ?? "")")
      }
    }
    return CSVWriter.rows(rows)
  }

  // MARK: - Markdown

  public static func markdown(_ p: BoardPack, digest: String, part: BoardPack.Part = .both) -> String {
    var out: [String] = []
    func w(_ s: String = "") { out.append(s) }
    func table(_ header: [String], _ rows: [[String]], right: Set<Int> = []) {
      w("| " + header.map(cellText).joined(separator: " | ") + " |")
      w("|" + header.indices.map { right.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
      for r in rows { w("| " + r.map(cellText).joined(separator: " | ") + " |") }
    }
    w("**\(cellText(p.marking(part)))**")
    w()
    w("# Children missing education — scrutiny board pack")
    w()
    w(
      "**\(cellText(p.authority))** · meeting \(p.meeting.id) on \(p.meeting.date) · chair \(cellText(p.meeting.chair))\(p.meeting.attendees.isEmpty ? "" : " · attending: " + cellText(p.meeting.attendees.joined(separator: ", ")))"
    )
    w()
    w("Register as of audit entry \(p.logSequence) (`\(p.logHash)`); data digest `\(digest)`.")
    w()
    w("> \(cellText(p.policy.statement))")
    if part.hasA {
      w()
      w("## Part A — figures")
      w()
      w("### Summary")
      w()
      for s in p.summary { w(cellText(s)) }
      if !p.exceptions.isEmpty {
        w()
        w("**For the board's attention**")
        w()
        for e in p.exceptions { w("- \(cellText(e))") }
      }
      w()
      w("### Headline")
      w()
      table(["", "count", ""], p.headline.map { [$0.label, $0.value, $0.note] }, right: [1])
      w()
      table(
        ["month end", "open", "a year earlier"], p.trend.map { [$0.month, p.text($0.open), p.text($0.lastYear)] },
        right: [1, 2])
      w()
      w("### Measures")
      w()
      table(["measure", "value", "what it is"], p.measures.map { [$0.label, $0.value, $0.note] }, right: [1])
      w()
      w("### Direction of travel")
      w()
      if !p.previousPackFound {
        w("No pack was built for a previous meeting, so there is nothing to compare with.")
        w()
      }
      table(
        ["measure", "now", "last meeting", "change", "target"],
        p.directions.map { [$0.measure, $0.now, $0.lastMeeting, $0.change, $0.target.map { "≤ \($0)" } ?? "–"] },
        right: [1, 2])
      for b in p.breakdowns {
        w()
        w("### \(b.title)")
        if let note = b.note {
          w()
          w(cellText(note))
        }
        w()
        let multi = b.table.columns.count > 1
        let rows = (0...b.table.rows.count).filter { $0 < b.table.rows.count || b.showTotal }.map { r in
          [r == b.table.rows.count ? "**total**" : b.table.rows[r]]
            + (multi ? Array(0...b.table.columns.count) : [0]).map { b.table.text(row: r, column: $0) }
        }
        table(
          [""] + (multi ? b.table.columns + ["total"] : ["count"]), rows,
          right: Set(1...(multi ? b.table.columns.count + 1 : 1)))
      }
      w()
      w("### Equality")
      w()
      if p.baselineMissing { w("No population baseline is loaded; shares of the population and ratios are not shown.") }
      table(
        ["group", "on the register", "share of register", "share of population", "ratio", "95% CI"],
        p.equality.map { e in
          let v = p.published(e)
          return [
            "\(e.characteristic): \(e.d.group)", v.count, v.registerShare, v.populationShare, v.ratio, v.interval,
          ]
        }, right: [1, 2, 3, 4])
      for c in p.callouts {
        w()
        w("- Over-represented: \(cellText(c))")
      }
      for c in p.alsoAboveOne {
        w()
        w("- Above 1, under the \(fmt(p.equalityThreshold))× threshold: \(cellText(c))")
      }
      if let note = p.dataQualityNote {
        w()
        w(cellText(note))
      }
      w()
      w("### Register check")
      w()
      w(cellText(p.cycleLine))
    }
    if part.hasB {
      w()
      w("## Part B — decision agenda")
      w()
      w("**\(cellText(p.marking(.b)))**")
      w()
      w(
        "\(p.agenda.count) of the \(p.text(p.qualifying)) cases meeting the agenda rules, highest risk first; the full list is the meeting's agenda, available to managers as CSV."
      )
      w()
      table(
        ["#", "case", "why it is here", "decision sought", "previous decision"] + (p.identifiable ? ["child"] : []),
        p.agenda.enumerated().map { i, a in
          [
            "\(i + 1)", "\(a.reference) (\(a.rag?.rawValue ?? "not rated"))", a.why.joined(separator: "; "),
            a.decisionSought, a.previousDecision,
          ]
            + (p.identifiable ? [a.identity ?? ""] : [])
        })
      w()
      w("### Previous decisions")
      w()
      if p.previousDecisions.isEmpty { w("None recorded.") }
      for d in p.previousDecisions {
        w("- \(d.reference): \(cellText(d.summary))\(d.note.map { " — " + cellText($0) } ?? "")")
      }
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// Text for a Markdown table cell or line: no line breaks, pipes escaped.
  static func cellText(_ s: String) -> String {
    s.replacingScalars(["\\": "\\\\", "|": "\\|", "\n": " ", "\r": " ", "<": "&lt;"])
  }
}
