using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PasskeyStepUpsAndProviderSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProviderSessionId",
                table: "UserSessions",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderSubject",
                table: "UserSessions",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PasskeyStepUps",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ChallengeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasskeyStepUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PasskeyStepUps_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_ProviderSessionId",
                table: "UserSessions",
                column: "ProviderSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_ProviderSubject",
                table: "UserSessions",
                column: "ProviderSubject");

            migrationBuilder.CreateIndex(
                name: "IX_PasskeyStepUps_ChallengeHash",
                table: "PasskeyStepUps",
                column: "ChallengeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PasskeyStepUps_CreatedAt",
                table: "PasskeyStepUps",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PasskeyStepUps_UserId",
                table: "PasskeyStepUps",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PasskeyStepUps");

            migrationBuilder.DropIndex(
                name: "IX_UserSessions_ProviderSessionId",
                table: "UserSessions");

            migrationBuilder.DropIndex(
                name: "IX_UserSessions_ProviderSubject",
                table: "UserSessions");

            migrationBuilder.DropColumn(
                name: "ProviderSessionId",
                table: "UserSessions");

            migrationBuilder.DropColumn(
                name: "ProviderSubject",
                table: "UserSessions");
        }
    }
}
