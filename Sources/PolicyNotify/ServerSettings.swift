import PolicyModel

extension MailMerge {
    /// The first line of a `mailmerge_server.conf` that notify wrote; a file without it is the user's, and is kept.
    public static let serverSettingsMark = "# Written by policyc notify"

    /// `mailmerge_server.conf` from the `smtp` settings of policyc.yaml. Without a password: mailmerge asks for it.
    public static func serverSettings(_ smtp: NotifySettings.SMTP) -> String {
        var text = """
            \(serverSettingsMark) from the smtp settings in policyc.yaml (docs/notify.md). No password: mailmerge asks
            # for it when it sends. To use settings of your own, replace this file; notify keeps a file it did not write.
            [smtp_server]
            host = \(smtp.host)

            """
        if let port = smtp.port { text += "port = \(port)\n" }
        if smtp.security != .none { text += "security = \(smtp.security.rawValue)\n" }
        if let username = smtp.username { text += "username = \(username)\n" }
        return text
    }
}
