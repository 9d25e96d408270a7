import Foundation

/// Renders a board pack as self-contained HTML (inline CSS and SVG, no
/// scripts, prints on A4), Markdown, or CSV. Pure: same pack, same bytes.
public enum PackRenderer {
  // MARK: - CSV (also the canonical text the data digest is taken over)

  /// Every figure of the pack as CSV rows `section,item,column,value`.
  /// With `digest` nil it is the canonical text whose SHA-256 is the pack's data digest.
  public static func csv(_ p: BoardPack, digest: String?) -> String {
    var rows: [[String]] = [["section", "item", "column", "value"]]
    func add(_ a: String, _ b: String, _ c: String, _ d: String) { rows.append([a, b, c, d]) }
    add("pack", "authority", "", p.authority)
    add("pack", "meeting", "", "\(p.meeting.id) \(p.meeting.date)")
    add("pack", "as of audit entry", "", "\(p.logSequence) \(p.logHash)")
    if let digest { add("pack", "data digest", "sha256", digest) }
    add("pack", "suppression", "", p.policy.statement)
    add("pack", "identifiable", "", p.identifiable ? "yes" : "no")
    add("headline", "open cases", "", p.protect(p.openNow))
    add("headline", "new \(p.sinceLabel)", "", p.protect(p.newSince))
    add("headline", "closed \(p.sinceLabel)", "", p.protect(p.closedSince))
    for t in p.trend {
      add("trend", t.month, "open", p.protect(t.open))
      add("trend", t.month, "same month last year", p.protect(t.lastYear))
    }
    for b in p.breakdowns {
      for r in 0...b.table.rows.count {
        for c in 0...b.table.columns.count where b.table.columns.count > 1 || c == 0 {
          let rowName = r == b.table.rows.count ? "total" : b.table.rows[r]
          let colName = c == b.table.columns.count ? "total" : b.table.columns[c]
          add(b.title, rowName, colName, b.table.text(row: r, column: c))
        }
      }
    }
    add("closed cases", "median days to resolve", "", p.closedMedianDays.map(String.init) ?? "–")
    for e in p.equality {
      let d = e.d
      let hidden = e.hidden
      add(
        "equality", "\(e.characteristic): \(d.group)", "register",
        (e.hidden ? p.hiddenText(d.registerCount) : p.policy.shown(d.registerCount)))
      add("equality", "\(e.characteristic): \(d.group)", "register share", hidden ? "–" : pct(d.registerShare))
      add("equality", "\(e.characteristic): \(d.group)", "population share", pct(d.populationShare))
      add("equality", "\(e.characteristic): \(d.group)", "ratio", hidden ? "–" : d.ratio.map(fmt) ?? "–")
      add(
        "equality", "\(e.characteristic): \(d.group)", "95% CI",
        hidden ? "–" : d.interval.map { "\(fmt($0.lowerBound))–\(fmt($0.upperBound))" } ?? "–")
    }
    for c in p.callouts { add("equality", "over-represented", "", c) }
    add("register check", "current cycle", "", p.cycleLine)
    for d in p.previousDecisions { add("previous decisions", d.reference, d.decision, "\(d.note) — \(d.carriedOut)") }
    for a in p.agenda {
      add("agenda", a.reference, "why", a.reasons)
      add(
        "agenda", a.reference, "rag",
        "\(a.rag?.rawValue ?? "-") (suggested \(a.suggestion.rating.rawValue): \(a.suggestion.summary))")
      add("agenda", a.reference, "school days missing", a.schoolDaysMissing.map(String.init) ?? "not known")
      add("agenda", a.reference, "last contact", a.lastContact)
      add("agenda", a.reference, "actions", a.actions)
      add("agenda", a.reference, "clocks", a.clocks)
      if let id = a.identity { add("agenda", a.reference, "identity", id) }
    }
    if p.agendaTotal > p.agenda.count {
      add("agenda", "not shown", "", "\(p.agendaTotal - p.agenda.count) further cases")
    }
    return CSVWriter.rows(rows)
  }

  // MARK: - Markdown

  public static func markdown(_ p: BoardPack, digest: String) -> String {
    var out: [String] = []
    out.append("# Children missing education — scrutiny board pack")
    out.append("")
    out.append(
      "**\(p.authority)** · meeting \(p.meeting.id) on \(p.meeting.date) · chair \(p.meeting.chair)\(p.meeting.attendees.isEmpty ? "" : " · attending: " + p.meeting.attendees.joined(separator: ", "))"
    )
    out.append("")
    out.append(
      "Register as of audit entry \(p.logSequence) (`\(p.logHash)`); data digest `\(digest)`. \(p.identifiable ? "**Identifiable pack: contains names, dates of birth and addresses.**" : "Anonymised: cases by reference only.")"
    )
    out.append("")
    out.append("> \(p.policy.statement)")
    out.append("")
    out.append("## Headline")
    out.append("")
    out.append("- Open cases: **\(p.protect(p.openNow))**")
    out.append("- New \(p.sinceLabel): **\(p.protect(p.newSince))**; closed: **\(p.protect(p.closedSince))**")
    out.append("")
    out.append("| month | open | same month last year |")
    out.append("|---|---:|---:|")
    for t in p.trend { out.append("| \(t.month) | \(p.protect(t.open)) | \(p.protect(t.lastYear)) |") }
    for b in p.breakdowns {
      out.append("")
      out.append("## \(b.title)")
      if let note = b.note {
        out.append("")
        out.append(note)
      }
      out.append("")
      let cols = b.table.columns.count > 1 ? b.table.columns + ["total"] : ["count"]
      out.append("| | " + cols.joined(separator: " | ") + " |")
      let rule = String(repeating: "-", count: 3)
      out.append("|\(rule)|" + cols.map { _ in rule + ":" }.joined(separator: "|") + "|")
      for r in 0...b.table.rows.count {
        let name = r == b.table.rows.count ? "**total**" : b.table.rows[r]
        let cells =
          b.table.columns.count > 1
          ? (0...b.table.columns.count).map { b.table.text(row: r, column: $0) } : [b.table.text(row: r, column: 0)]
        out.append("| \(name) | " + cells.joined(separator: " | ") + " |")
      }
    }
    out.append("")
    out.append(
      "Median time to resolve (cases closed in the last 12 months): \(p.closedMedianDays.map { "\($0) days" } ?? "–").")
    out.append("")
    out.append("## Equality")
    out.append("")
    if p.baselineMissing {
      out.append(
        "No population baseline is loaded (a manager loads the census counts of the area's children); shares of the population and ratios are not shown."
      )
    }
    out.append("| group | on the register | share of register | share of population | ratio (95% CI) |")
    out.append("|---|---:|---:|---:|---|")
    for e in p.equality {
      let d = e.d
      let hidden = e.hidden
      out.append(
        "| \(e.characteristic): \(d.group) | \((e.hidden ? p.hiddenText(d.registerCount) : p.policy.shown(d.registerCount))) | \(hidden ? "–" : pct(d.registerShare)) | \(pct(d.populationShare)) | \(hidden ? "–" : (d.ratio.map(fmt) ?? "–") + (d.interval.map { " (\(fmt($0.lowerBound))–\(fmt($0.upperBound)))" } ?? "")) |"
      )
    }
    for c in p.callouts {
      out.append("")
      out.append("- \(c)")
    }
    out.append("")
    out.append("## Register check")
    out.append("")
    out.append(p.cycleLine)
    out.append("")
    out.append("## Previous decisions")
    out.append("")
    if p.previousDecisions.isEmpty { out.append("None recorded.") }
    for d in p.previousDecisions { out.append("- \(d.reference): \(d.decision) — \(d.note) (\(d.carriedOut))") }
    out.append("")
    out.append("## Agenda")
    for a in p.agenda {
      out.append("")
      out.append("### \(a.reference) — \(a.rag?.rawValue ?? "not rated")")
      if let id = a.identity {
        out.append("")
        out.append("**\(id)**")
      }
      out.append("")
      out.append("- On the agenda: \(a.reasons)")
      out.append("- Suggested \(a.suggestion.rating.rawValue): \(a.suggestion.summary)")
      out.append(
        "- Open \(a.daysOpen) days; school days missing: \(a.schoolDaysMissing.map(String.init) ?? "not known"); last contact: \(a.lastContact)"
      )
      out.append("- Actions: \(a.actions)")
      out.append("- Clocks: \(a.clocks)")
    }
    if p.agendaTotal > p.agenda.count {
      out.append("")
      out.append("…and \(p.agendaTotal - p.agenda.count) further cases (the full agenda is in the register).")
    }
    return out.joined(separator: "\n") + "\n"
  }
}
