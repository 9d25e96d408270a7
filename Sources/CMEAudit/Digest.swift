import Crypto

/// A SHA-256 digest: 32 bytes, shown as 64 lower-case hex digits.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
  public let bytes: [UInt8]

  public init(bytes: [UInt8]) {
    precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
    self.bytes = bytes
  }

  /// The hash that stands before the first entry: 32 zero bytes.
  public static let zero = Digest(bytes: [UInt8](repeating: 0, count: 32))

  public static func sha256(_ data: [UInt8]) -> Digest {
    Digest(bytes: Array(SHA256.hash(data: data)))
  }

  /// Parses 64 hex digits; nil for anything else.
  public init?(hex: String) {
    let utf8 = Array(hex.utf8)
    guard utf8.count == 64 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(32)
    var i = 0
    while i < 64 {
      guard let hi = Digest.nibble(utf8[i]), let lo = Digest.nibble(utf8[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    self.bytes = out
  }

  public var hex: String {
    // A lookup table: String(format:) is ~100x slower on Linux.
    var chars = [UInt8]()
    chars.reserveCapacity(64)
    for b in bytes {
      chars.append(Digest.hexDigits[Int(b >> 4)])
      chars.append(Digest.hexDigits[Int(b & 0x0f)])
    }
    return String(decoding: chars, as: UTF8.self)
  }

  public var description: String { hex }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}

/// SHA-256 over data that arrives in pieces (a large file read in chunks).
public struct IncrementalDigest {
  private var hasher = SHA256()
  public init() {}
  public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }
  public func finish() -> Digest { Digest(bytes: Array(hasher.finalize())) }
}
