import Foundation

/// What a transfer file adds to a child already on the register.
///
/// A Common Transfer File carries the school's record of the pupil. Where the
/// register holds nothing for a detail, the file's value fills it in. Where
/// both hold a value and they differ, the register's stays as it is: a
/// caseworker may have recorded something newer or better, and a file must
/// not overwrite it silently. The difference is listed for them to check.
/// Safeguarding facts (being looked after) are never set from a file, only
/// reported, because setting them changes the case's rating.
public struct ChildEnrichment: Equatable, Sendable {
  /// The child with the file's details filled in.
  public var child: Child
  /// The details filled in, e.g. `upn`, `ethnicity`, `address`.
  public var filled: [String]
  /// Differences between the file and the register, for a caseworker to check.
  public var differences: [String]

  /// Fills the gaps in `existing` from `offered` (the child as the file describes them).
  public init(existing: Child, offered: Child) {
    var c = existing
    var filled: [String] = []
    var differences: [String] = []

    func fill<T: Equatable>(_ name: String, _ path: WritableKeyPath<Child, T?>, _ describe: (T) -> String) {
      guard let theirs = offered[keyPath: path] else { return }
      if let ours = c[keyPath: path] {
        if ours != theirs {
          differences.append("\(name): the register has \(describe(ours)), the file has \(describe(theirs))")
        }
      } else {
        c[keyPath: path] = theirs
        filled.append(name)
      }
    }
    fill("upn", \.upn, \.description)
    fill("ethnicity", \.ethnicity, \.description)
    fill("first language", \.firstLanguage, \.description)
    fill("last school", \.lastSchool, \.description)
    fill("SEN provision", \.senProvision, \.rawValue)
    if c.sex == .unknown, offered.sex != .unknown {
      c.sex = offered.sex
      filled.append("sex")
    } else if offered.sex != .unknown, c.sex != offered.sex {
      differences.append("sex: the register has \(c.sex.rawValue), the file has \(offered.sex.rawValue)")
    }
    fill("free school meals", \.freeSchoolMeals) { $0 ? "eligible" : "not eligible" }
    let knownCarers = Set(c.carers.map { NameMatch.key($0.name) })
    let newCarers = offered.carers.filter { !knownCarers.contains(NameMatch.key($0.name)) }
    if !newCarers.isEmpty {
      c.carers += newCarers
      filled.append("contacts")
    }
    if c.preferredForename == nil, c.preferredSurname == nil,
      offered.preferredForename != nil || offered.preferredSurname != nil
    {
      c.preferredForename = offered.preferredForename
      c.preferredSurname = offered.preferredSurname
      filled.append("preferred names")
    }
    let held = Set([c.upn].compactMap { $0 } + c.formerUPNs)
    let newFormer = offered.formerUPNs.filter { !held.contains($0) && $0 != offered.upn }
    if !newFormer.isEmpty {
      c.formerUPNs += newFormer
      filled.append("former UPNs")
    }
    let known = Set(c.addresses.map(Self.addressKey))
    let newAddresses = offered.addresses.filter { !known.contains(Self.addressKey($0)) }
    if !newAddresses.isEmpty {
      c.addresses += newAddresses
      filled.append(newAddresses.count == 1 ? "address" : "addresses")
    }
    if offered.lookedAfter, !c.lookedAfter {
      differences.append(
        "looked after: the file says the child is in care\(offered.careAuthority.map { " of LA \($0)" } ?? ""); the register does not: check, and record it on the child's record"
      )
    }
    self.child = c
    self.filled = filled
    self.differences = differences
  }

  static func addressKey(_ a: Address) -> String {
    // Letters and digits only, so "12, Meadow Lane" is "12 Meadow Lane" but not "14 Meadow Lane".
    a.text.lowercased().filter { $0.isLetter || $0.isNumber } + "|"
      + (a.postcode ?? "").uppercased().filter { !$0.isWhitespace }
  }
}
