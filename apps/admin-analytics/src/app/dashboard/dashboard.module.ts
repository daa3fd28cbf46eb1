import { Module } from '@nestjs/common';
import { AuthLoginProxy } from './auth-login-proxy';
import { DashboardAssets } from './dashboard-assets';
import { DashboardController } from './dashboard.controller';

@Module({
  controllers: [DashboardController],
  providers: [AuthLoginProxy, { provide: DashboardAssets, useFactory: () => new DashboardAssets() }],
})
export class DashboardModule {}
