import Crypto
import Foundation

/// A signed statement that a register's log had a given head at a given
/// time: kept outside the register (a witness folder, another machine), it
/// lets `cme audit verify` show that no entry up to it was changed or cut,
/// and that the file is not an older copy.
///
/// The signature is Ed25519 over the bytes of ``signedBytes``: the tag
/// `cme-checkpoint-v1`, then the register's identity, the sequence, the
/// head hash and the time, each length-prefixed as in the log's encoding.
public struct AuditCheckpoint: Sendable, Codable, Equatable {
  /// The register's identity (random, made when it was created).
  public var register: String
  /// The sequence number of the entry it names.
  public var sequence: Int64
  /// That entry's hash, hex.
  public var hash: String
  /// When it was taken.
  public var at: String
  /// The Ed25519 public key that signed it, hex.
  public var publicKey: String
  /// The signature, hex.
  public var signature: String

  /// The bytes the signature covers.
  public static func signedBytes(register: String, sequence: Int64, hash: String, at: String) -> [UInt8] {
    var out = Array("cme-checkpoint-v1".utf8)
    for field in [register, String(sequence), hash, at] { CanonicalEncoding.append(field, to: &out) }
    return out
  }

  /// Signs a head with a private key's 32 raw bytes.
  public static func sign(register: String, sequence: Int64, hash: String, at: String, privateKey: [UInt8]) throws
    -> AuditCheckpoint
  {
    let key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKey)
    let signature = try key.signature(for: signedBytes(register: register, sequence: sequence, hash: hash, at: at))
    return AuditCheckpoint(
      register: register, sequence: sequence, hash: hash, at: at,
      publicKey: Hex.encode(Array(key.publicKey.rawRepresentation)), signature: Hex.encode(Array(signature)))
  }

  /// True when the signature is the public key's over these fields.
  public var signatureIsValid: Bool {
    guard let keyBytes = Hex.decode(publicKey), let signatureBytes = Hex.decode(signature),
      let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
    else { return false }
    return key.isValidSignature(
      signatureBytes, for: AuditCheckpoint.signedBytes(register: register, sequence: sequence, hash: hash, at: at))
  }
}

/// An Ed25519 key pair for signing checkpoints.
public enum SigningKey {
  /// A new private key's raw bytes and its public key, hex.
  public static func generate() -> (privateKey: [UInt8], publicKey: String) {
    let key = Curve25519.Signing.PrivateKey()
    return (Array(key.rawRepresentation), Hex.encode(Array(key.publicKey.rawRepresentation)))
  }

  /// The public key (hex) of a private key's raw bytes, or nil if they are not one.
  public static func publicKey(of privateKey: [UInt8]) -> String? {
    (try? Curve25519.Signing.PrivateKey(rawRepresentation: privateKey)).map {
      Hex.encode(Array($0.publicKey.rawRepresentation))
    }
  }
}

/// Lower-case hex.
public enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  /// The bytes as hex (a lookup table: `String(format:)` is ~100× slower on Linux).
  public static func encode(_ bytes: [UInt8]) -> String {
    var chars = [UInt8]()
    chars.reserveCapacity(bytes.count * 2)
    for b in bytes {
      chars.append(digits[Int(b >> 4)])
      chars.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: chars, as: UTF8.self)
  }

  /// Lower-case hex digits as bytes; nil for anything else.
  public static func decode(_ text: String) -> [UInt8]? {
    let u = Array(text.utf8)
    guard u.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
      default: nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
      guard let h = nibble(u[i]), let l = nibble(u[i + 1]) else { return nil }
      out.append(h << 4 | l)
      i += 2
    }
    return out
  }
}
