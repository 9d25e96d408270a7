import Foundation

/// How far a group's share of the register differs from its share of the
/// school-age population.
///
/// The ratio is (a / A) ÷ (b / B): the group's share of the register over its
/// share of the population. 1 means in proportion; 2 means the group is on
/// the register twice as often as its numbers would suggest. The 95%
/// confidence interval is Katz's log method for a ratio of two proportions:
/// exp(ln R ± 1.96 · √(1/a − 1/A + 1/b − 1/B)).
public struct Disproportion: Hashable, Sendable, Codable {
  public var group: String
  public var registerCount: Int
  public var registerTotal: Int
  public var populationCount: Int
  public var populationTotal: Int

  public init(group: String, registerCount: Int, registerTotal: Int, populationCount: Int, populationTotal: Int) {
    self.group = group
    self.registerCount = registerCount
    self.registerTotal = registerTotal
    self.populationCount = populationCount
    self.populationTotal = populationTotal
  }

  public var registerShare: Double? { registerTotal > 0 ? Double(registerCount) / Double(registerTotal) : nil }
  public var populationShare: Double? { populationTotal > 0 ? Double(populationCount) / Double(populationTotal) : nil }

  /// nil when the population share is zero or a total is missing.
  public var ratio: Double? {
    guard let r = registerShare, let p = populationShare, p > 0 else { return nil }
    return r / p
  }

  /// The 95% confidence interval; nil when a count is zero.
  public var interval: ClosedRange<Double>? {
    guard let ratio, registerCount > 0, populationCount > 0 else { return nil }
    let a = Double(registerCount)
    let aTotal = Double(registerTotal)
    let b = Double(populationCount)
    let bTotal = Double(populationTotal)
    let se = (1 / a - 1 / aTotal + 1 / b - 1 / bTotal).squareRoot()
    return exp(log(ratio) - 1.96 * se)...exp(log(ratio) + 1.96 * se)
  }

  /// Over-represented beyond `threshold`, with the whole interval above 1.
  public func isOverRepresented(threshold: Double) -> Bool {
    guard let ratio, let interval else { return false }
    return ratio >= threshold && interval.lowerBound > 1
  }
}
