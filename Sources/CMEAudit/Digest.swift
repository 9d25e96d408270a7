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
    guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
    self.bytes = bytes
  }

  public var hex: String { Hex.encode(bytes) }

  public var description: String { hex }
}

/// SHA-256 over data that arrives in pieces (a large file read in chunks).
public struct IncrementalDigest {
  private var hasher = SHA256()
  public init() {}
  public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }
  public func finish() -> Digest { Digest(bytes: Array(hasher.finalize())) }
}

extension SHA256 {
  /// The digest of bytes in memory, straight to the hash rather than through
  /// the generic `hash(data:)` (a large log hashes three times an entry).
  static func digest(of bytes: UnsafeRawBufferPointer) -> SHA256.Digest {
    var hasher = SHA256()
    hasher.update(bufferPointer: bytes)
    return hasher.finalize()
  }
}
