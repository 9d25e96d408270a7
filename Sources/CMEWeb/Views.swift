import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The page templates, compiled once. They are part of the program (no
/// files to find at run time) and escape every value they print.
struct Views: Sendable {
  let library: MustacheLibrary

  static let names = [
    "layout", "sign-in", "password", "my-work", "find", "child", "case", "register-check", "board", "meeting",
    "admin", "message", "code", "second-factor", "settings",
  ]

  init() throws {
    var library = MustacheLibrary()
    for name in Views.names {
      try library.register(ScalarHTML.pragma + String(decoding: Templates.text(name), as: UTF8.self), named: name)
    }
    self.library = library
  }

  /// Renders `template` inside the layout, for `state`'s user.
  func page(
    _ template: String, title: String, state: WebSessionState?, status: HTTPResponse.Status = .ok,
    _ values: [String: Any] = [:], errors: FormErrors = FormErrors(), flash: String? = nil, section: String? = nil
  ) -> Response {
    var object = values
    object["title"] = errors.isEmpty ? title : "Error: " + title
    object["flash"] = flash
    for (k, v) in errors.view { object[k] = v }
    object["hasErrors"] = !errors.isEmpty
    if let state {
      let role = state.session.user.role
      object["user"] = [
        "name": state.session.user.name, "role": role.rawValue, "csrf": state.csrf,
        "nav": Views.navigation(for: role).map { item in
          ["href": item.href, "label": item.label, "current": item.section == section]
        },
      ]
      object["csrf"] = state.csrf
    }
    let html = library.render(object, withTemplate: template) ?? "<!DOCTYPE html><title>Error</title>"
    return Views.html(html, status: status)
  }

  static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/html; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
  }

  /// The menu: what each role works in.
  static func navigation(for role: Role) -> [(href: String, label: String, section: String)] {
    switch role {
    case .caseworker:
      [("/", "My work", "work"), ("/find", "Find a child", "find")]
    case .manager:
      [
        ("/", "My work", "work"), ("/find", "Find a child", "find"), ("/register-check", "Register check", "check"),
        ("/board", "Board", "board"), ("/settings", "Settings", "settings"),
      ]
    case .board: [("/board", "Board", "board")]
    case .admin: [("/admin", "Users", "admin")]
    }
  }
}

/// The templates' text, embedded in the program.
enum Templates {
  static func text(_ name: String) -> [UInt8] {
    switch name {
    case "layout": PackageResources.layout_mustache
    case "sign-in": PackageResources.sign_in_mustache
    case "password": PackageResources.password_mustache
    case "my-work": PackageResources.my_work_mustache
    case "find": PackageResources.find_mustache
    case "child": PackageResources.child_mustache
    case "case": PackageResources.case_mustache
    case "register-check": PackageResources.register_check_mustache
    case "board": PackageResources.board_mustache
    case "meeting": PackageResources.meeting_mustache
    case "admin": PackageResources.admin_mustache
    case "message": PackageResources.message_mustache
    case "code": PackageResources.code_mustache
    case "second-factor": PackageResources.second_factor_mustache
    case "settings": PackageResources.settings_mustache
    default: []
    }
  }
}
