import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAIL_TEMPLATES, OUTBOX_STATUSES, OutboxStatus, type MailTemplate } from '@directory/schemas';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_MAIL_LIMIT = 20;
export const MAX_MAIL_LIMIT = 100;

/** One outbox message as admins see it: what, to whom, and how delivery went; never its params. */
export class MailMessageDto {
  @ApiProperty({ example: '665f1c2e9b1d8a0012345678' }) id!: string;
  @ApiProperty({ enum: MAIL_TEMPLATES }) template!: string;
  @ApiProperty({ example: 'jose@example.com', description: 'The recipient address' }) to!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The account the message is about' }) userId!: string | null;
  @ApiProperty({ enum: OUTBOX_STATUSES, description: 'pending → sent | failed | void (nothing to send any more)' }) status!: string;
  @ApiProperty({ description: 'Delivery attempts so far' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed, or why the message was voided' })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was sent, given up or voided' })
  finishedAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'A pending message is not tried before this instant (retry backoff)' })
  nextAttemptAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class MailListDto {
  @ApiProperty({ type: [MailMessageDto], description: 'Newest first' }) items!: MailMessageDto[];
}

/** `limit` of the admin mail lists. */
export class MailLimitQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MAIL_LIMIT,
    default: DEFAULT_MAIL_LIMIT,
    description: 'How many, newest first',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_MAIL_LIMIT)
  limit?: number;
}

/** GET /users/mail: messages in one delivery status. */
export class MailByStatusQuery extends MailLimitQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, default: OutboxStatus.Failed, description: 'Delivery status (default failed)' })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;
}

export type { MailTemplate };
