using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TokenRotationAndAllowedAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedAddresses",
                table: "AccessTokens",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacedByTokenId",
                table: "AccessTokens",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RotatedAt",
                table: "AccessTokens",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedAddresses",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "ReplacedByTokenId",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "RotatedAt",
                table: "AccessTokens");
        }
    }
}
