import Foundation

/// The authority's school-age population by characteristic, from its school
/// census: the denominator of the equality analysis.
///
/// File format (CSV, UTF-8): `characteristic,code,count`, e.g.
/// `total,all,61250`, `ethnicity,WBRI,40120`, `named-group,Somali,410`,
/// `sex,F,29800`, `sen,E,2100`, `looked-after,yes,380`, `fsm,yes,14200`,
/// `eal,yes,9100`, `disability,yes,2400`, `service-child,yes,300`.
public struct PopulationBaseline: Hashable, Sendable, Codable {
  public var counts: [String: [String: Int]]

  public init(counts: [String: [String: Int]]) { self.counts = counts }

  public var total: Int? { counts["total"]?["all"] }

  public func count(_ characteristic: String, _ code: String) -> Int? { counts[characteristic]?[code] }

  /// The codes each characteristic accepts.
  public static func codes(for characteristic: String) -> Set<String>? {
    switch characteristic {
    case "total": ["all"]
    case "ethnicity": Set(Ethnicity.main.keys)
    case "named-group": Set(Ethnicity.NamedGroup.allCases.map(\.rawValue))
    case "sex": ["M", "F", "U"]
    case "sen": ["E", "K", "N"]
    case "looked-after", "child-in-need", "child-protection", "fsm", "eal", "disability", "service-child": ["yes"]
    default: nil
    }
  }

  /// The group a child belongs to in each characteristic the baseline
  /// counts, as (characteristic, code); a characteristic in which the child
  /// is in no group (not looked after, no SEN recorded) is left out. A child
  /// whose ethnicity is not recorded counts as not obtained (NOBT). Free
  /// school meals: eligible on `day` (from the periods, else the yes/no).
  public static func groups(of child: Child, on day: LocalDate) -> [(characteristic: String, code: String)] {
    var g: [(characteristic: String, code: String)] = [("ethnicity", child.ethnicity?.mainCode ?? "NOBT")]
    if let named = child.ethnicity?.namedGroup { g.append(("named-group", named.rawValue)) }
    g.append(("sex", child.sex.rawValue))
    if let sen = child.senProvision { g.append(("sen", sen.rawValue)) }
    if child.lookedAfter { g.append(("looked-after", "yes")) }
    if child.childInNeed { g.append(("child-in-need", "yes")) }
    if child.childProtectionPlan { g.append(("child-protection", "yes")) }
    if child.fsmEligible(on: day) == true { g.append(("fsm", "yes")) }
    if child.firstLanguage?.isAdditionalLanguage == true { g.append(("eal", "yes")) }
    if child.disability != nil { g.append(("disability", "yes")) }
    if child.serviceChild == .yes { g.append(("service-child", "yes")) }
    return g
  }

  public static let characteristics = [
    "total", "ethnicity", "named-group", "sex", "sen", "looked-after", "child-in-need", "child-protection", "fsm",
    "eal", "disability", "service-child",
  ]

  /// Reads a baseline file, listing every problem with its line and column.
  public static func read(csv data: [UInt8], file: String) throws(FileProblems) -> PopulationBaseline {
    let records = try CSVReader.parse(data, file: file)
    guard let header = records.first,
      header.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == [
        "characteristic", "code", "count",
      ]
    else {
      throw FileProblems([
        FileProblem(file: file, line: 1, column: "1", message: "the header must be characteristic,code,count")
      ])
    }
    var problems: [FileProblem] = []
    var counts: [String: [String: Int]] = [:]
    var firstLine: [String: Int] = [:]
    for r in records.dropFirst() {
      guard r.fields.count == 3 else {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "\(Swift.min(r.fields.count + 1, 4))",
            message: "\(r.fields.count) fields; each line needs 3: characteristic,code,count"))
        continue
      }
      let characteristic = r.fields[0].trimmingCharacters(in: .whitespaces).lowercased()
      var code = r.fields[1].trimmingCharacters(in: .whitespaces)
      guard let allowed = codes(for: characteristic) else {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "characteristic",
            message: "'\(r.fields[0])' is not a characteristic; use one of \(characteristics.joined(separator: ", "))"))
        continue
      }
      if characteristic != "named-group" { code = code.uppercased() == "ALL" ? "all" : code.uppercased() }
      if ["looked-after", "child-in-need", "child-protection", "fsm", "eal", "disability", "service-child"].contains(
        characteristic)
      {
        code = code.lowercased()
      }
      if !allowed.contains(code) {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "code",
            message:
              "'\(r.fields[1])' is not a code of \(characteristic); use one of \(allowed.sorted().joined(separator: ", "))"
          ))
      }
      let text = r.fields[2].trimmingCharacters(in: .whitespaces)
      guard let n = Int(text) else {
        problems.append(
          FileProblem(file: file, line: r.line, column: "count", message: "'\(text)' is not a whole number"))
        continue
      }
      if n < 0 {
        problems.append(
          FileProblem(file: file, line: r.line, column: "count", message: "\(n) is negative; a count is 0 or more"))
      }
      let key = "\(characteristic)/\(code)"
      if let first = firstLine[key] {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "code", message: "\(characteristic) \(code) is also on line \(first)"))
      }
      firstLine[key] = firstLine[key] ?? r.line
      counts[characteristic, default: [:]][code] = n
    }
    if problems.isEmpty && counts["total"]?["all"] == nil {
      problems.append(
        FileProblem(
          file: file, line: header.line, column: "characteristic",
          message: "the file has no total,all line (the school-age population)"))
    }
    guard problems.isEmpty else { throw FileProblems(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
    return PopulationBaseline(counts: counts)
  }
}
