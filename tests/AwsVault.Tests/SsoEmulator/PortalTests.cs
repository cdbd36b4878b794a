using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SSO;
using Amazon.SSO.Model;
using AwsVault.Tests.StsEmulator;
using Xunit;

namespace AwsVault.Tests.SsoEmulator
{
    /// <summary>The access portal (portal.sso) driven by AWSSDK.SSO, and its role credentials used against STS.</summary>
    public class PortalTests
    {
        private static AmazonSecurityTokenServiceClient Sts(EmulatedSso sso, RoleCredentials c)
            => new AmazonSecurityTokenServiceClient(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
                new AmazonSecurityTokenServiceConfig { ServiceURL = sso.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        [Fact]
        public async Task GetRoleCredentialsIssuesKeysThatStsKnowsAsTheReservedSsoRole()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var portal = sso.Portal();
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            var creds = (await portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev, RoleName = "Admin" })).RoleCredentials;

            Assert.Matches("^ASIA[A-Z2-7]{16}$", creds.AccessKeyId);
            Assert.Equal(40, creds.SecretAccessKey.Length);
            Assert.InRange(creds.Expiration.Value, before + 3600_000 - 2000, before + 3600_000 + 5000);
            var call = sso.World.CallsTo("GetRoleCredentials").Single();
            Assert.Equal(("portal.sso", EmulatedSso.Dev, "Admin", true, creds.AccessKeyId), (call.Service, call.AccountId, call.RoleName, call.SentBearerToken, call.IssuedAccessKeyId));

            var session = sso.World.Sts.Session(creds.AccessKeyId);
            string roleArn = sso.World.Assignments.Single(a => a.AccountId == EmulatedSso.Dev && a.RoleName == "Admin").RoleArn;
            Assert.Matches("^arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_[0-9a-f]{16}$", roleArn);
            Assert.Equal(("GetRoleCredentials", roleArn), (session.IssuedBy, session.RoleArn));
            Assert.Equal(creds.Expiration.Value, session.Expiration.ToUnixTimeMilliseconds());

            using var sts = Sts(sso, creds);
            var id = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal("arn:aws:sts::111111111111:assumed-role/" + roleArn.Split('/').Last() + "/alice@example.com", id.Arn);
            Assert.Equal(EmulatedSso.Dev, id.Account);
        }

        [Fact]
        public async Task SsoRoleCredentialsAreASourceForAssumeRoleWithTheChainingLimit()
        {
            using var sso = new EmulatedSso();
            sso.World.Sts.AddRole("arn:aws:iam::444455556666:role/Deploy", maxSessionDuration: 43200);
            var token = await sso.SignIn();
            using var portal = sso.Portal();
            var creds = (await portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Prod, RoleName = "ReadOnly" })).RoleCredentials;
            using var sts = Sts(sso, creds);

            var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::444455556666:role/Deploy", RoleSessionName = "chained" });
            var tooLong = await SdkAssert.Fails("ValidationError", 400, () => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::444455556666:role/Deploy", RoleSessionName = "chained", DurationSeconds = 7200 }));

            Assert.Equal("arn:aws:sts::444455556666:assumed-role/Deploy/chained", assumed.AssumedRoleUser.Arn);
            Assert.Equal(creds.AccessKeyId, sso.World.Sts.Session(assumed.Credentials.AccessKeyId).ParentAccessKeyId);
            Assert.Contains("role chaining", tooLong.Message);
        }

        [Fact]
        public async Task UnassignedRoleIsForbiddenNoAccess()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var portal = sso.Portal();

            var e = await Assert.ThrowsAnyAsync<AmazonSSOException>(() => portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Prod, RoleName = "Admin" }));

            Assert.Equal(("ForbiddenException", HttpStatusCode.Forbidden, "No access"), (e.ErrorCode, e.StatusCode, e.Message));
        }

        [Fact]
        public async Task ListAccountsPagesThroughAccountsWithAssignedRoles()
        {
            using var sso = new EmulatedSso();
            foreach (int i in Enumerable.Range(1, 3)) sso.World.AssignRole("55555555555" + i, "Viewer");
            var token = await sso.SignIn();
            using var portal = sso.Portal();

            var pages = new List<ListAccountsResponse>();
            string next = null;
            do
            {
                var page = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = 2, NextToken = next });
                pages.Add(page);
                next = page.NextToken;
            }
            while (next != null);

            Assert.Equal(new[] { 2, 2, 1 }, pages.Select(p => p.AccountList.Count));
            var all = pages.SelectMany(p => p.AccountList).ToList();
            Assert.Equal(new[] { EmulatedSso.Dev, EmulatedSso.Prod, "555555555551", "555555555552", "555555555553" }, all.Select(a => a.AccountId));
            Assert.Equal(("Dev", "dev@example.com"), (all[0].AccountName, all[0].EmailAddress));
            Assert.DoesNotContain(all, a => a.AccountId == EmulatedSso.Empty);
            var bad = await Assert.ThrowsAnyAsync<AmazonSSOException>(() => portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, NextToken = "bm9wZQ==" }));
            Assert.Equal(("InvalidRequestException", HttpStatusCode.BadRequest), (bad.ErrorCode, bad.StatusCode));
            Assert.IsType<InvalidRequestException>(bad);
        }

        [Fact]
        public async Task ListAccountRolesListsTheAccountsAssignments()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var portal = sso.Portal();

            var dev = await portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev });
            var empty = await portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Empty });
            var first = await portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev, MaxResults = 1 });

            Assert.Equal(new[] { ("ReadOnly", EmulatedSso.Dev), ("Admin", EmulatedSso.Dev) }, dev.RoleList.Select(r => (r.RoleName, r.AccountId)));
            Assert.Null(dev.NextToken);
            Assert.True(empty.RoleList == null || empty.RoleList.Count == 0);
            Assert.Equal("ReadOnly", Assert.Single(first.RoleList).RoleName);
            Assert.NotNull(first.NextToken);
        }

        [Fact]
        public async Task LogoutRevokesTheAccessTokenSoThePortalAnswers401()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var portal = sso.Portal();

            await portal.LogoutAsync(new LogoutRequest { AccessToken = token.AccessToken });
            var e = await Assert.ThrowsAsync<UnauthorizedException>(() => portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken }));

            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.Equal("Session token not found or invalid", e.Message);
            Assert.True(sso.World.Token(token.AccessToken).LoggedOut);
            Assert.Equal(new[] { 200, 401 }, sso.World.Calls.Where(c => c.Service == "portal.sso").Select(c => c.HttpStatus));
        }

        [Fact]
        public async Task InjectedFaultsUseTheSharedFaultKinds()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var portal = sso.Portal();
            sso.World.Faults.Enqueue("ListAccounts", AwsVault.Tests.Sts.Fault.Throttle());
            sso.World.Faults.Enqueue("*", AwsVault.Tests.Sts.Fault.ServerError(503));

            var throttled = await Assert.ThrowsAsync<TooManyRequestsException>(() => portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken }));
            var unavailable = await Assert.ThrowsAnyAsync<AmazonSSOException>(() => portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev }));
            var fine = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken });

            Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Equal(2, fine.AccountList.Count);
            Assert.Equal(new[] { "Throttle", "ServerError", null }, sso.World.Calls.Where(c => c.Service == "portal.sso").Select(c => c.InjectedFault));
        }

        [Fact]
        public async Task ExpiredOrUnknownAccessTokenIs401()
        {
            using var sso = new EmulatedSso();
            sso.World.AccessTokenLifetime = TimeSpan.FromSeconds(30);
            var token = await sso.SignIn();
            Assert.Equal(30, token.ExpiresIn);
            using var portal = sso.Portal();
            await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken });

            // The emulator's clock moves past the token's lifetime.
            sso.World.Sts.TimeProvider = new ShiftedClock { Offset = TimeSpan.FromSeconds(31) };
            await Assert.ThrowsAsync<UnauthorizedException>(() => portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev, RoleName = "ReadOnly" }));
            await Assert.ThrowsAsync<UnauthorizedException>(() => portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = "aoa-not-a-token" }));

            Assert.Equal(2, sso.World.Calls.Count(c => c.ErrorCode == "UnauthorizedException"));
        }
    }
}
