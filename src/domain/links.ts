/** Every external link the bot hands out (shared/domain.md "Links the bot hands out"). One place only. */
export const Links = {
  partnerCenterDashboard: 'https://partner.microsoft.com/dashboard',
  technicalBenefits: 'https://partner.microsoft.com/dashboard/mpn/membership/benefits/technical',
  userManagement: 'https://partner.microsoft.com/dashboard/account/v3/usermanagement#users',
  supportForBusiness: 'https://support.serviceshub.microsoft.com/supportforbusiness/create',
  cspCustomers: 'https://partner.microsoft.com/commerce/customers/list',
  partnerSupportPlans: 'https://partner.microsoft.com/support/partnersupport',
  nMinusOnePolicy: 'https://aka.ms/n-1',
  incidentsRemaining:
    'https://support.microsoft.com/topic/how-many-partner-support-incidents-are-remaining-e8220db5-14f6-93db-4b4a-35766e11b3c3',
  azurePortalSupport: 'https://portal.azure.com/#view/Microsoft_Azure_Support/HelpAndSupportBlade/~/overview',
  m365AdminSupport: 'https://admin.microsoft.com/#/support',
  dynamicsAdmin: 'https://admin.powerplatform.microsoft.com/support',
  powerPlatformAdmin: 'https://admin.powerplatform.microsoft.com/support',
  technicalPresales: 'https://learn.microsoft.com/partner-center/technical-benefits',
  fixedLifecyclePolicy: 'https://learn.microsoft.com/lifecycle/policies/fixed',
} as const;
export type LinkName = keyof typeof Links;
