using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class UniqueExternalId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Before the index, a User Administrator could give a second user an externalId already
            // held (issue 17), and the index cannot be built while any value is duplicated. Of each
            // group of users sharing an externalId, the oldest (earliest CreatedAt, then lowest Id)
            // keeps it; every other one's externalId becomes NULL, with an audit entry naming the
            // value, so an operator can see whose external sign-in stopped mapping and set it again.
            migrationBuilder.Sql(@"INSERT INTO ""AuditEntries"" (""OccurredAt"", ""ActorId"", ""Action"", ""SubjectType"", ""SubjectId"", ""Details"")
                SELECT now(), NULL, 'user.updated', 'user', ""u"".""Id"", COALESCE(""u"".""Email"", ""u"".""Id"") || ': externalId ' || ""u"".""ExternalId"" || ' -> (none): an older user holds it (migration UniqueExternalId)'
                FROM ""AspNetUsers"" AS ""u""
                WHERE ""u"".""ExternalId"" IS NOT NULL
                AND EXISTS (SELECT 1 FROM ""AspNetUsers"" AS ""older"" WHERE ""older"".""ExternalId"" = ""u"".""ExternalId"" AND (""older"".""CreatedAt"" < ""u"".""CreatedAt"" OR (""older"".""CreatedAt"" = ""u"".""CreatedAt"" AND ""older"".""Id"" < ""u"".""Id"")));");
            migrationBuilder.Sql(@"UPDATE ""AspNetUsers"" SET ""ExternalId"" = NULL
                WHERE ""AspNetUsers"".""ExternalId"" IS NOT NULL
                AND EXISTS (SELECT 1 FROM ""AspNetUsers"" AS ""older"" WHERE ""older"".""ExternalId"" = ""AspNetUsers"".""ExternalId"" AND (""older"".""CreatedAt"" < ""AspNetUsers"".""CreatedAt"" OR (""older"".""CreatedAt"" = ""AspNetUsers"".""CreatedAt"" AND ""older"".""Id"" < ""AspNetUsers"".""Id"")));");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_ExternalId",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_ExternalId",
                table: "AspNetUsers",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_ExternalId",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_ExternalId",
                table: "AspNetUsers",
                column: "ExternalId");
        }
    }
}
