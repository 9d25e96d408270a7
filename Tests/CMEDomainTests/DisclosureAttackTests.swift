import CMEDomain
import Foundation
import Testing

/// An attacker who reads Part A of a pack (or of two consecutive meetings'
/// packs) as published, writes down everything a reader knows about how its
/// figures fit together, and works out by exact integer search the least
/// and greatest value each hidden count can take. Independent of the pack's
/// own protection: it reads only the published CSV and solves with
/// constraint propagation and backtracking, not linear programming.
struct IntegerAttacker {
  /// Unknowns: hidden figures, by the key they are published under.
  var variables: [String] = []
  var index: [String: Int] = [:]
  /// Each equation: Σ coefficient × term = constant, a term an unknown or a published value.
  var equations: [(terms: [(Int, Int)], constant: Int)] = []
  var known: [String: Int] = [:]

  /// A figure by its key: a number, or an unknown for a hidden one (nil when not a count).
  mutating func term(_ key: String, _ text: String, hidden: String) -> Int? {
    if text == hidden {
      if let i = index[key] { return i }
      variables.append(key)
      index[key] = variables.count - 1
      return variables.count - 1
    }
    return nil
  }

  /// Adds Σ coefficient × figure = 0 over figures given as (key, text).
  mutating func relate(_ figures: [(key: String, text: String, coefficient: Int)], hidden: String) {
    var terms: [(Int, Int)] = []
    var constant = 0
    for f in figures {
      if let v = term(f.key, f.text, hidden: hidden) {
        terms.append((v, f.coefficient))
      } else if let n = Int(f.text) {
        constant -= f.coefficient * n
      } else {
        return  // not a count: no equation
      }
    }
    if !terms.isEmpty { equations.append((terms, constant)) }
  }

  /// For every unknown (each from 0 to `cap`), the values it can take as
  /// far as the rule needs: its exact least and greatest value when they
  /// are fewer than five apart, else a range at least five wide that it can
  /// take both ends of. Searching for a solution is quick; proving there is
  /// none is what costs, so the search looks for wide solutions first.
  func ranges(cap: Int) -> [String: ClosedRange<Int>] {
    // Unknowns no equation links are independent: each part is solved on
    // its own (a search over all of them at once would revisit one part's
    // dead ends for every choice in another).
    var parent = Array(variables.indices)
    func find(_ x: Int) -> Int { parent[x] == x ? x : find(parent[x]) }
    for e in equations { for (v, _) in e.terms.dropFirst() { parent[find(v)] = find(e.terms[0].0) } }
    let parts = Dictionary(grouping: variables.indices, by: find)
    guard parts.count > 1 else { return rangesOfOnePart(cap: cap) }
    var result: [String: ClosedRange<Int>] = [:]
    for (_, members) in parts.sorted(by: { $0.key < $1.key }) {
      var sub = IntegerAttacker()
      let renumber = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
      sub.variables = members.map { variables[$0] }
      sub.equations = equations.filter { renumber[$0.terms[0].0] != nil }.map { e in
        (terms: e.terms.map { (renumber[$0.0]!, $0.1) }, constant: e.constant)
      }
      result.merge(sub.rangesOfOnePart(cap: cap)) { a, _ in a }
    }
    return result
  }

  func rangesOfOnePart(cap: Int) -> [String: ClosedRange<Int>] {
    var result: [String: ClosedRange<Int>] = [:]
    let start = Array(repeating: 0...cap, count: variables.count)
    guard let bounds = propagate(start), let any = solution(bounds) else { return [:] }
    for v in variables.indices {
      let a = any[v]
      func feasible(_ r: ClosedRange<Int>) -> Bool {
        let lo = max(r.lowerBound, bounds[v].lowerBound)
        let hi = min(r.upperBound, bounds[v].upperBound)
        guard lo <= hi else { return false }
        var b = bounds
        b[v] = lo...hi
        return solution(b) != nil
      }
      if a + 4 <= cap && feasible((a + 4)...cap) {
        result[variables[v]] = a...(a + 4)
        continue
      }
      if a >= 4 && feasible(0...(a - 4)) {
        result[variables[v]] = (a - 4)...a
        continue
      }
      // Within a − 3 … a + 3: find the exact ends.
      var low = a
      while low > 0 && feasible((low - 1)...(low - 1)) { low -= 1 }
      var high = a
      while high < cap && feasible((high + 1)...(high + 1)) { high += 1 }
      result[variables[v]] = low...high
    }
    return result
  }

  /// A solution within `bounds`, by propagation and search, or nil when there is none.
  func solution(_ bounds: [ClosedRange<Int>]) -> [Int]? {
    guard let b = propagate(bounds) else { return nil }
    guard let v = b.indices.filter({ b[$0].count > 1 }).min(by: { b[$0].count < b[$1].count }) else {
      return b.map(\.lowerBound)
    }
    // Halves of the domain rather than single values: far fewer branches.
    let mid = b[v].lowerBound + (b[v].count - 1) / 2
    for half in [b[v].lowerBound...mid, (mid + 1)...b[v].upperBound] {
      var next = b
      next[v] = half
      if let s = solution(next) { return s }
    }
    return nil
  }

  func propagate(_ bounds: [ClosedRange<Int>]) -> [ClosedRange<Int>]? {
    var b = bounds
    var changed = true
    while changed {
      changed = false
      for e in equations {
        // Σ a·x = c: for each x, a·x = c − Σ(rest), bounded by the rest's range.
        var minSum = 0
        var maxSum = 0
        for (v, a) in e.terms {
          minSum += a > 0 ? a * b[v].lowerBound : a * b[v].upperBound
          maxSum += a > 0 ? a * b[v].upperBound : a * b[v].lowerBound
        }
        if e.constant < minSum || e.constant > maxSum { return nil }
        for (v, a) in e.terms {
          let own = (
            a > 0 ? a * b[v].lowerBound : a * b[v].upperBound, a > 0 ? a * b[v].upperBound : a * b[v].lowerBound
          )
          let restMin = minSum - own.0
          let restMax = maxSum - own.1
          // a·x ∈ [c − restMax, c − restMin]
          let lo = e.constant - restMax
          let hi = e.constant - restMin
          var newLow: Int
          var newHigh: Int
          if a > 0 {
            newLow = Int((Double(lo) / Double(a)).rounded(.up))
            newHigh = Int((Double(hi) / Double(a)).rounded(.down))
          } else {
            newLow = Int((Double(hi) / Double(a)).rounded(.up))
            newHigh = Int((Double(lo) / Double(a)).rounded(.down))
          }
          newLow = max(newLow, b[v].lowerBound)
          newHigh = min(newHigh, b[v].upperBound)
          if newLow > newHigh { return nil }
          if newLow != b[v].lowerBound || newHigh != b[v].upperBound {
            b[v] = newLow...newHigh
            changed = true
          }
        }
      }
    }
    return b
  }

}

/// Reads Part A's CSV into figures by key, and writes down what a reader knows.
struct PublishedPack {
  var figures: [String: String] = [:]
  /// Breakdown sections, each row's cells by column.
  var sections: [String: [(row: String, column: String, value: String)]] = [:]

  init(csv: String) {
    for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
      let fields = Self.fields(String(line))
      guard fields.count == 4 else { continue }
      figures["\(fields[0])|\(fields[1])|\(fields[2])"] = fields[3]
      sections[fields[0], default: []].append((fields[1], fields[2], fields[3]))
    }
  }

  static func fields(_ line: String) -> [String] {
    var out: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(line)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        out.append(field)
        field = ""
      } else {
        field.append(c)
      }
      i += 1
    }
    out.append(field)
    chars.removeAll()
    return out
  }

  func headline(_ label: String) -> (key: String, text: String)? {
    sections["headline"]?.first { $0.row == label }.map { ("headline|\(label)", $0.value) }
  }

  func measure(_ label: String) -> (key: String, text: String)? {
    sections["measures"]?.first { $0.row == label }.map { ("measures|\(label)", $0.value) }
  }

  /// Every published count.
  var counts: [Int] { figures.values.compactMap { Int($0) } }

  /// Writes this pack's relations into `a`, its keys prefixed with `tag`.
  func relations(into a: inout IntegerAttacker, tag: String, hidden: String) {
    func k(_ key: String) -> String { "\(tag)|\(key)" }
    guard let open = headline("Open cases") else { return }
    let openFigure = (key: k(open.key), text: open.text)
    let partitions = [
      "Open cases by RAG rating", "Open cases by reason", "Time open", "Whereabouts", "Referral source", "Year group",
      "Area (postcode district)",
    ]
    // Each breakdown adds up to its total; the partitions' totals are the open cases.
    for (title, cells) in sections {
      let columns = Set(cells.map(\.column))
      if title == "Clock breaches (open cases)" { continue }
      if columns == ["count"] {
        let parts = cells.filter { $0.row != "total" }
        guard let total = cells.first(where: { $0.row == "total" }) else { continue }
        a.relate(
          parts.map { (k("\(title)|\($0.row)"), $0.value, 1) } + [(k("\(title)|total"), total.value, -1)],
          hidden: hidden)
        if partitions.contains(title) {
          a.relate([(k("\(title)|total"), total.value, 1), (openFigure.key, openFigure.text, -1)], hidden: hidden)
        }
      } else if title.hasPrefix("Multi-agency actions") {
        let rows = Set(cells.map(\.row))
        let cols = columns.subtracting(["total"])
        func cell(_ r: String, _ c: String) -> (String, String) {
          (k("\(title)|\(r)|\(c)"), cells.first { $0.row == r && $0.column == c }!.value)
        }
        for r in rows {
          a.relate(
            cols.map {
              let x = cell(r, $0)
              return (x.0, x.1, 1)
            } + [
              {
                let x = cell(r, "total")
                return (x.0, x.1, -1)
              }()
            ], hidden: hidden)
        }
        for c in columns {
          a.relate(
            rows.subtracting(["total"]).map {
              let x = cell($0, c)
              return (x.0, x.1, 1)
            }
              + [
                {
                  let x = cell("total", c)
                  return (x.0, x.1, -1)
                }()
              ], hidden: hidden)
        }
        if let overdue = measure("Overdue multi-agency actions") {
          a.relate(
            ["overdue 1–7 days", "overdue 8–28 days", "overdue over 28 days"].map {
              let x = cell("total", $0)
              return (x.0, x.1, 1)
            }
              + [(k(overdue.key), overdue.text, -1)], hidden: hidden)
        }
      }
    }
    // Open more than 12 weeks is the last three bands of time open.
    if let over = measure("Open more than 12 weeks"), let time = sections["Time open"] {
      a.relate(
        time.filter { ["12 to 26 weeks", "26 to 52 weeks", "over 52 weeks"].contains($0.row) }.map {
          (k("Time open|\($0.row)"), $0.value, 1)
        } + [(k(over.key), over.text, -1)], hidden: hidden)
    }
    // Equality: ethnicity, sex and SEN each partition the open cases; Somali children are Black African.
    let equality = sections["equality"]?.filter { $0.column == "register" } ?? []
    for prefix in ["Ethnicity: ", "Sex: ", "SEN provision: "] {
      let rows = equality.filter { $0.row.hasPrefix(prefix) && !$0.row.contains("Somali") }
      a.relate(
        rows.map { (k("equality|\($0.row)"), $0.value, 1) } + [(openFigure.key, openFigure.text, -1)], hidden: hidden)
    }
    if let somali = equality.first(where: { $0.row.contains("Somali") }),
      let african = equality.first(where: { $0.row == "Ethnicity: Black African" })
    {
      // Somali + the other Black African children (never published) = Black African.
      a.variables.append(k("Black African, not Somali"))
      a.index[k("Black African, not Somali")] = a.variables.count - 1
      a.relate(
        [
          (k("equality|\(somali.row)"), somali.value, 1), (k("Black African, not Somali"), hidden, 1),
          (k("equality|\(african.row)"), african.value, -1),
        ], hidden: hidden)
    }
    // A yes-count and the open cases give its complement, itself a count of children.
    func complement(_ key: String, _ text: String) {
      let rest = k("not: \(key)")
      a.variables.append(rest)
      a.index[rest] = a.variables.count - 1
      a.relate([(k(key), text, 1), (rest, hidden, 1), (openFigure.key, openFigure.text, -1)], hidden: hidden)
    }
    for label in [
      "Not seen since the case opened", "Repeat episodes", "Past compulsory school age",
      "Open cases with a clock breached",
    ] {
      if let m = measure(label) { complement(m.key, m.text) }
    }
    for row in equality where !["Ethnicity: ", "Sex: ", "SEN provision: "].contains(where: { row.row.hasPrefix($0) }) {
      complement("equality|\(row.row)", row.value)
    }
    // The current month's trend point is the open cases now.
    if let last = sections["trend"]?.last(where: { $0.column == "open" }) {
      a.relate([(k("trend|\(last.row)|open"), last.value, 1), (openFigure.key, openFigure.text, -1)], hidden: hidden)
    }
    // Open now = open at the last meeting + opened − closed.
    if let last = headline("Open at the last meeting"), let opened = headline("Opened"), let closed = headline("Closed")
    {
      a.relate(
        [
          (openFigure.key, openFigure.text, 1), ("open at \(tag) last meeting", last.text, -1),
          (k(opened.key), opened.text, -1),
          (k(closed.key), closed.text, 1),
        ], hidden: hidden)
    }
  }

  /// Month-end counts are the same figure in every pack that shows them
  /// (keys not tagged), except the current month, which ends at the meeting.
  func trendFigures(into a: inout IntegerAttacker, tag: String, hidden: String) {
    let rows = sections["trend"] ?? []
    let current = rows.last?.row
    for t in rows {
      let key = t.row == current ? "\(tag)|trend|\(t.row)|\(t.column)" : "trend|\(t.row)|\(t.column)"
      if let n = Int(t.value) {
        a.known[key] = n
      } else {
        _ = a.term(key, t.value, hidden: hidden)
      }
    }
  }
}

struct DisclosureAttackTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  /// A random small register as the pack's facts: every case's dates, the
  /// children open on `day`, actions and a baseline.
  func register(seed: UInt64, children: Int) -> (
    spans: [PackFacts.CaseSpan], open: [PackFacts.OpenCase], actions: [Agency: PackFacts.ActionCounts]
  ) {
    var r = SeededRandom(seed: seed)
    let codes = ["WBRI", "WBRI", "WBRI", "WROM", "WIRT", "BAFR", "BCRB", "APKN", "MWBC", "NOBT", "REFU", "WOTH"]
    var spans: [PackFacts.CaseSpan] = []
    var open: [PackFacts.OpenCase] = []
    let day = d("2026-11-16")
    for n in 0..<children {
      var child = Child(
        legalSurname: "S\(n)", legalForename: "F\(n)", dateOfBirth: day.adding(days: -r.int(1900...5800)))
      child.sex = [.female, .male, .male, .female, .unknown][r.below(5)]
      var code = codes[r.below(codes.count)]
      if code == "BAFR" && r.chance(0.5) { code = "BSOM" }
      child.ethnicity = Ethnicity(checked: code)
      child.senProvision = [nil, .ehcPlan, .senSupport, .senSupport, nil][r.below(5)]
      child.lookedAfter = r.chance(0.15)
      child.childInNeed = r.chance(0.2)
      child.childProtectionPlan = r.chance(0.1)
      child.freeSchoolMeals = r.chance(0.3)
      let opened = day.adding(days: -r.int(1...500))
      let closes = r.chance(0.4)
      let closedOn = closes ? opened.adding(days: r.int(1...200)) : nil
      spans.append(.init(openedOn: opened, closedOn: closedOn, outcome: closes ? .eheSuitable : nil))
      if let closedOn, closedOn <= day { continue }
      var c = CMECase(
        reference: String(format: "CME-2026-%05d", n), childId: Int64(n), openedOn: opened,
        referralSource: [.schoolReferral, .health, .admissions][r.below(3)],
        reason: [.whereaboutsUnknown, .believedMovedOutOfCountry, .schoolApplicationAwaitingOutcome][r.below(3)],
        whereaboutsKnown: r.chance(0.5))
      c.id = Int64(n)
      c.rag = [RAG.red, .amber, .green, nil][r.below(4)]
      open.append(
        .init(
          facts: CaseFacts(caseRecord: c, child: child), postcode: ["NG1 1AA", "NG2 2BB", "NG7 3CC", nil][r.below(4)],
          repeatEpisode: r.chance(0.1)))
    }
    var actions: [Agency: PackFacts.ActionCounts] = [:]
    for a in [Agency.police, .socialCare, .health] where r.chance(0.8) {
      actions[a] = .init(
        due: r.int(0...6), overdueBy: [r.int(0...4), r.int(0...3), r.int(0...5)], declined: r.int(0...2))
    }
    return (spans, open, actions)
  }

  func facts(
    day: LocalDate, previous: LocalDate?, spans: [PackFacts.CaseSpan], open: [PackFacts.OpenCase],
    actions: [Agency: PackFacts.ActionCounts]
  ) -> PackFacts {
    PackFacts(
      authority: "Test", meeting: .init(id: 1, date: day, chair: "SD", attendees: []), previousMeeting: previous,
      logSequence: 1, logHash: "ab", calendar: .englandDefault,
      baseline: PopulationBaseline(counts: [
        "total": ["all": 60000], "ethnicity": ["WBRI": 40000, "WROM": 240, "BAFR": 1800, "WIRT": 120],
        "named-group": ["Somali": 300], "sex": ["F": 29400, "M": 30600], "sen": ["E": 2700, "K": 8000],
        "looked-after": ["yes": 400], "child-in-need": ["yes": 1800], "child-protection": ["yes": 300],
        "fsm": ["yes": 15000],
      ]),
      cases: spans, openCases: open, actions: actions)
  }

  /// Checks every hidden count of the given packs keeps at least five possible values.
  func attack(_ packs: [(tag: String, pack: BoardPack)], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
    var a = IntegerAttacker()
    var published: [Int] = []
    for (tag, pack) in packs {
      let p = PublishedPack(csv: PackRenderer.csv(pack, digest: nil, part: .a))
      p.relations(into: &a, tag: tag, hidden: pack.policy.symbol)
      p.trendFigures(into: &a, tag: tag, hidden: pack.policy.symbol)
      published += p.counts
      // No small count is ever shown.
      for (key, text) in p.figures {
        if let n = Int(text) {
          #expect(!(1...4).contains(n), "\(tag) \(key) shows a small count \(n)", sourceLocation: sourceLocation)
        }
      }
    }
    if packs.count == 2,
      let openBefore = PublishedPack(csv: PackRenderer.csv(packs[0].pack, digest: nil, part: .a)).headline("Open cases")
    {
      // The last meeting's open cases are the first pack's open cases.
      a.relate(
        [
          ("open at \(packs[1].tag) last meeting", openBefore.text, 1),
          ("\(packs[0].tag)|\(openBefore.key)", openBefore.text, -1),
        ], hidden: packs[0].pack.policy.symbol)
    }
    // A figure hidden in one pack and shown in the other is known.
    for (i, key) in a.variables.enumerated() {
      if let n = a.known[key] { a.equations.append((terms: [(i, 1)], constant: n)) }
    }
    // A hidden count may exceed every shown one (the cases closed in a year
    // can outnumber the open cases): the attacker bounds every unknown
    // loosely and lets the relations do the rest.
    let cap = 3 * (published.max() ?? 0) + 10
    #expect(
      a.propagate(Array(repeating: 0...cap, count: a.variables.count)) != nil,
      "the published figures of \(packs.map(\.tag)) contradict each other (largest published count \(cap))",
      sourceLocation: sourceLocation)
    let ranges = a.ranges(cap: cap)
    var narrow = 0
    for (key, range) in ranges {
      // Never published: a leak only when it is pinned to a small count.
      let unpublished = key.hasSuffix("Black African, not Somali") || key.contains("|not: ")
      if range.count < 5 && (!unpublished || (1...4).contains(range.lowerBound)) {
        narrow += 1
        Issue.record("\(key) is pinned to \(range) (fewer than 5 possible values)", sourceLocation: sourceLocation)
      }
    }
    return ranges.count
  }

  @Test func no_hidden_count_can_be_narrowed_on_200_random_registers() {
    // Registers of 12 to 36 children with at least ten open cases (with
    // fewer, nearly every count of the pack is hidden and there is little to attack).
    var hiddenSeen = 0
    var attacked = 0
    var seed: UInt64 = 0
    let wanted = Int(ProcessInfo.processInfo.environment["ATTACK_SEEDS"] ?? "") ?? 200
    while attacked < wanted {
      seed += 1
      let (spans, open, actions) = register(seed: seed, children: 12 + Int(seed % 25))
      guard open.count >= 10 else { continue }
      attacked += 1
      let pack = BoardPack.build(
        from: facts(
          day: d("2026-11-16"), previous: seed % 2 == 0 ? d("2026-10-19") : nil, spans: spans, open: open,
          actions: actions),
        identifiable: false)
      hiddenSeen += attack([("m\(seed)", pack)])
    }
    // The registers are small enough that many counts are hidden.
    #expect(hiddenSeen > 2000)
  }

  @Test func no_hidden_count_can_be_narrowed_across_two_consecutive_meetings() {
    var pairs = 0
    for seed in 1...90 {
      let (spans, _, actions) = register(seed: UInt64(1000 + seed), children: 16 + Int(seed % 25))
      let first = d("2026-10-19")
      let second = d("2026-11-16")
      func openOn(_ day: LocalDate) -> [PackFacts.OpenCase] {
        // The same children as open cases on each day, by the spans.
        let (_, all, _) = register(seed: UInt64(1000 + seed), children: 16 + Int(seed % 25))
        let byRef = Dictionary(uniqueKeysWithValues: all.map { ($0.facts.caseRecord.childId, $0) })
        return spans.indices.compactMap { i -> PackFacts.OpenCase? in
          let s = spans[i]
          guard s.openedOn <= day, s.closedOn.map({ $0 > day }) ?? true else { return nil }
          if let o = byRef[Int64(i)] { return o }
          var c = CMECase(
            reference: String(format: "CME-2026-%05d", i), childId: Int64(i), openedOn: s.openedOn,
            referralSource: .health, reason: .schoolApplicationAwaitingOutcome, whereaboutsKnown: true)
          c.id = Int64(i)
          return .init(
            facts: CaseFacts(
              caseRecord: c, child: Child(legalSurname: "X", legalForename: "Y", dateOfBirth: d("2015-01-01"))),
            postcode: nil)
        }
      }
      guard openOn(first).count >= 10 && openOn(second).count >= 10 else { continue }
      let pack1 = BoardPack.build(
        from: facts(day: first, previous: nil, spans: spans, open: openOn(first), actions: actions), identifiable: false
      )
      let pack2 = BoardPack.build(
        from: facts(day: second, previous: first, spans: spans, open: openOn(second), actions: actions),
        identifiable: false)
      _ = attack([("m1", pack1), ("m2", pack2)])
      pairs += 1
    }
    #expect(pairs >= 40)
  }
}

/// The leaks a reader found in earlier packs, each built again on purpose.
struct PackLeakTests {
  let attacker = DisclosureAttackTests()
  func d(_ s: String) -> LocalDate { attacker.d(s) }

  /// A register of open cases, one per child, with the cases' dates.
  func pack(
    _ children: [Child], opened: (Int) -> String = { _ in "2026-09-01" },
    actions: [Agency: PackFacts.ActionCounts] = [:],
    policy: SuppressionPolicy = .default
  ) -> BoardPack {
    var open: [PackFacts.OpenCase] = []
    var spans: [PackFacts.CaseSpan] = []
    for (n, child) in children.enumerated() {
      var c = CMECase(
        reference: String(format: "CME-2026-%05d", n), childId: Int64(n), openedOn: d(opened(n)),
        referralSource: .schoolReferral, reason: .whereaboutsUnknown, whereaboutsKnown: false)
      c.id = Int64(n)
      c.rag = .red
      open.append(.init(facts: CaseFacts(caseRecord: c, child: child), postcode: "NG1 1AA"))
      spans.append(.init(openedOn: c.openedOn))
    }
    var f = attacker.facts(day: d("2026-11-16"), previous: nil, spans: spans, open: open, actions: actions)
    f.agenda = open.map { .init(reasons: "red", facts: $0.facts) }
    return BoardPack.build(from: f, identifiable: false, policy: policy, agendaCap: 100)
  }

  func children(_ n: Int, _ set: (Int, inout Child) -> Void = { _, _ in }) -> [Child] {
    (0..<n).map { i in
      var c = Child(legalSurname: "S\(i)", legalForename: "F\(i)", dateOfBirth: d("2014-05-01"))
      c.sex = i % 2 == 0 ? .female : .male
      c.ethnicity = Ethnicity(checked: "WBRI")
      c.senProvision = SENProvision.none
      set(i, &c)
      return c
    }
  }

  @Test func an_ehc_plan_count_cannot_be_recovered_from_the_sen_rows_and_the_total() {
    // EHC plan 1, SEN support 9, no SEN 20: the old pack showed 9, 20 and 30.
    let p = pack(children(30) { i, c in c.senProvision = i == 0 ? .ehcPlan : i < 10 ? .senSupport : SENProvision.none })
    let csv = PackRenderer.csv(p, digest: nil, part: .a)
    #expect(csv.contains("equality,SEN provision: EHC plan,register,c"))
    #expect(!csv.contains("equality,SEN provision: SEN support,register,9"))
    _ = attacker.attack([("m", p)])
  }

  @Test func a_named_group_is_never_a_second_copy_of_a_hidden_ethnicity_row() {
    // Two Irish Traveller children: hidden once, in the ethnicity rows; Somali children are part of Black African.
    let p = pack(
      children(30) { i, c in
        c.ethnicity = Ethnicity(checked: i < 2 ? "WIRT" : i < 9 ? "BSOM" : i < 10 ? "BAFR" : "WBRI")
      })
    let csv = PackRenderer.csv(p, digest: nil, part: .a)
    #expect(!csv.contains("Named group"))
    #expect(csv.contains("equality,Ethnicity: Traveller of Irish heritage,register,c"))
    // Somali 7 of Black African 8 would leave one other Black African child: the two are not both shown.
    let somali = csv.contains("Somali (part of Black African),register,7")
    let african = csv.contains("equality,Ethnicity: Black African,register,8")
    #expect(!(somali && african))
    _ = attacker.attack([("m", p)])
  }

  @Test func totals_and_bounds_together_cannot_pin_a_hidden_cell() {
    // Police: 1 due and 2 overdue; health: 3 declined. With two labels and the
    // totals the old pack pinned each cell; now every hidden cell keeps five values.
    let p = pack(
      children(20),
      actions: [
        .police: .init(due: 1, overdueBy: [2, 0, 0], declined: 0),
        .health: .init(due: 6, overdueBy: [0, 0, 0], declined: 3),
        .socialCare: .init(due: 9, overdueBy: [0, 7, 0], declined: 0),
      ])
    #expect(
      Set(
        p.breakdowns.flatMap { b in
          (0...b.table.rows.count).flatMap { r in (0...b.table.columns.count).map { b.table.text(row: r, column: $0) } }
        }
      ).isDisjoint(with: ["fewer than 5", "hidden"]))
    _ = attacker.attack([("m", p)])
  }

  @Test func the_trend_chart_draws_no_point_for_a_hidden_month() throws {
    // Three cases opened in September and closed by the end of October: October's count is 3.
    var children = children(12)
    children.removeLast(0)
    let p0 = pack(children, opened: { $0 < 3 ? "2026-09-10" : "2026-11-02" })
    let hiddenMonths = p0.trend.filter { p0.cells.isHidden($0.open) }
    #expect(!hiddenMonths.isEmpty)
    let svg = PackRenderer.html(p0, digest: "x", part: .a)
    let chart = try #require(
      svg.range(of: "aria-label=\"Open cases at each month end").map { String(svg[$0.lowerBound...]) })
    let trendSVG = String(chart[..<chart.range(of: "</svg>")!.lowerBound])
    // One blue point per shown month, none for a hidden one, and the scale set by shown months only.
    let shownMonths = p0.trend.filter { !p0.cells.isHidden($0.open) }.count
    #expect(trendSVG.components(separatedBy: "<circle").count - 1 == shownMonths)
    #expect(trendSVG.contains(">c</text>"))
  }

  @Test func markers_hidden_in_part_a_are_not_printed_in_part_b() {
    // Three children on a child protection plan: Part A hides the count, so Part B does not name it.
    let p = pack(children(20) { i, c in c.childProtectionPlan = i < 3 })
    let partB = PackRenderer.csv(p, digest: nil, part: .b)
    #expect(!partB.contains("child protection plan"))
    #expect(!partB.contains("joint missing-child response"))
    // Eight children: shown in Part A, and named in Part B.
    let shown = pack(children(20) { i, c in c.childProtectionPlan = i < 8 })
    #expect(PackRenderer.csv(shown, digest: nil, part: .b).contains("child protection plan"))
  }

  @Test func the_symbol_is_escaped_in_html() {
    let p = pack(children(12) { i, c in c.lookedAfter = i < 2 }, policy: SuppressionPolicy(symbol: "<b>x</b>"))
    let html = PackRenderer.html(p, digest: "x")
    #expect(!html.contains("<b>x</b>"))
    #expect(html.contains("&lt;b&gt;x&lt;/b&gt;"))
  }

  @Test func the_ratio_chart_draws_each_group_once_on_a_log_scale_and_names_intervals_above_one() {
    var p = pack(
      children(300) { i, c in
        c.ethnicity = Ethnicity(checked: i < 12 ? "WIRT" : i < 20 ? "WROM" : "WBRI")
        c.freeSchoolMeals = i % 3 == 0
        c.sex = i < 3 ? .unknown : i % 2 == 0 ? .female : .male
      })
    let html = PackRenderer.html(p, digest: "x", part: .a)
    #expect(html.contains("log scale"))
    #expect(html.components(separatedBy: ">Traveller of Irish heritage</text>").count == 2)
    // A gap in the record is a note, not a callout.
    #expect(!p.callouts.contains { $0.contains("not recorded") })
    #expect(p.dataQualityNote?.contains("sex not recorded") == true)
    // A group above 1 with the whole interval, under the 1.5 threshold, is still named.
    p.equalityThreshold = 10
    #expect(p.alsoAboveOne.contains { $0.hasPrefix("Children eligible for free school meals are") })
  }

  @Test func a_printed_pdf_is_dated_by_the_meeting_so_the_bytes_repeat() {
    let printed = Array(
      "1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261130190357+00'00')\n/ModDate (D:20261130190357+00'00')>>"
        .utf8)
    let fixed = PrintedPDF.fixingDates(printed, to: d("2026-11-16"))
    #expect(fixed.count == printed.count)
    #expect(String(decoding: fixed, as: UTF8.self).contains("/CreationDate (D:20261116000000+00'00')"))
    #expect(String(decoding: fixed, as: UTF8.self).contains("/ModDate (D:20261116000000+00'00')"))
  }
}
