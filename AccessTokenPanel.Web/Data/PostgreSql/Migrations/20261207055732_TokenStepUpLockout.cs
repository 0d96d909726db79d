using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TokenStepUpLockout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StepUpFailedAttempts",
                table: "AccessTokens",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "StepUpLockedUntil",
                table: "AccessTokens",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StepUpFailedAttempts",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "StepUpLockedUntil",
                table: "AccessTokens");
        }
    }
}
