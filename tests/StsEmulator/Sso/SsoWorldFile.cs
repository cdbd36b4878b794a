using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace AwsVault.Tests.Sts.Sso
{
    /// <summary>
    /// The Identity Center side of a standalone emulator (<c>--sso sso.json</c>), for tests that run it out of process:
    /// <code>{"startUrl": "https://d-9067example.awsapps.com/start", "region": "us-east-1", "userName": "alice@example.com",
    ///  "accounts": [{"accountId": "111111111111", "name": "Dev", "email": "dev@example.com", "roles": ["ReadOnly", "Admin"]}]}</code>
    /// Every member but accounts may be left out. The user approves every sign-in, as a browser that follows the
    /// authorize redirect does.
    /// </summary>
    public static class SsoWorldFile
    {
        private sealed class Document
        {
            public string StartUrl { get; set; }
            public string Region { get; set; }
            public string UserName { get; set; }
            public List<Account> Accounts { get; set; } = new List<Account>();
        }

        private sealed class Account
        {
            public string AccountId { get; set; }
            public string Name { get; set; }
            public string Email { get; set; }
            public List<string> Roles { get; set; } = new List<string>();
        }

        public static SsoWorld Load(string path, StsWorld sts)
        {
            var doc = JsonSerializer.Deserialize<Document>(File.ReadAllText(path), StsWorld.JsonOptions)
                      ?? throw new FormatException("The SSO world file is empty.");
            var world = new SsoWorld(sts, string.IsNullOrEmpty(doc.StartUrl) ? SsoWorld.DefaultStartUrl : doc.StartUrl, string.IsNullOrEmpty(doc.Region) ? "us-east-1" : doc.Region);
            if (!string.IsNullOrEmpty(doc.UserName)) world.UserName = doc.UserName;
            foreach (var account in doc.Accounts ?? new List<Account>())
            {
                if (string.IsNullOrEmpty(account.AccountId)) throw new ArgumentException("Every account needs an accountId.");
                world.AddAccount(account.AccountId, account.Name ?? account.AccountId, account.Email);
                foreach (string role in account.Roles ?? new List<string>()) world.AssignRole(account.AccountId, role);
            }
            return world;
        }
    }
}
