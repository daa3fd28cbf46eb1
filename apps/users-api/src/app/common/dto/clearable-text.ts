import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Trim } from '@directory/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** An optional text field a client may also clear with `null` (profile and admin updates). */
export const ClearableText = (maxLength: number): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: String, nullable: true, maxLength }), IsOptional(), Trim(), IsString(), MaxLength(maxLength));
