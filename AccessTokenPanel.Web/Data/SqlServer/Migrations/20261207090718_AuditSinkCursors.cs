using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
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
                    Sink = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    DeliveredThroughId = table.Column<long>(type: "bigint", nullable: false),
                    FailedAttempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastDeliveredAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
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
