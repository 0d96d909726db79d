using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AuditSinkCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditSinkCursors",
                columns: table => new
                {
                    Sink = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DeliveredThroughId = table.Column<long>(type: "bigint", nullable: false),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastDeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSinkCursors", x => x.Sink);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditSinkCursors");
        }
    }
}
