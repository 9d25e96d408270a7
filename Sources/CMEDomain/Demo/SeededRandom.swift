import Foundation

/// A small, fast, seeded generator (SplitMix64), so that the same seed gives
/// the same demo register on every machine and every Swift version. Its
/// helpers avoid the standard library's `random(in:using:)`, whose algorithm
/// is not promised to stay the same.
public struct SeededRandom: Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A whole number in `0..<n`.
  public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

  /// A number in `range`.
  public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

  /// A fraction in `[0, 1)`.
  public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// True with probability `p`.
  public mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// One of `items`.
  public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// One of `items`, chosen by weight.
  public mutating func weighted<T>(_ items: [(T, Double)]) -> T {
    let total = items.reduce(0) { $0 + $1.1 }
    var x = unit() * total
    for (item, w) in items {
      if x < w { return item }
      x -= w
    }
    return items[items.count - 1].0
  }

  /// A standard normal deviate (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = max(unit(), 1e-12)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
